package run.creativeai.gateway.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.concurrency.AttemptSlots;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStarts;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.Settlement;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.model.FailoverChain;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.ProviderDirectory;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;

/**
 * Applies {@link FailoverPolicy}'s steps to a job, each with at most one state transition written
 * conditionally ({@link JobStore#transition}), asking the policy again after each until the job waits
 * for something outside this call (a provider's result, a free slot) or has ended. A transition that
 * loses to another writer's move stops the walk: the winner carries the job on, and whatever the loser
 * held is given back. A webhook attempt recorded meanwhile is no such move: the transition is written
 * over it.
 */
public final class StepExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);
    /** Beyond the attempt's timeout, so a provider that starts late still finds its inputs. */
    private static final java.time.Duration INPUT_URL_GRACE = java.time.Duration.ofMinutes(5);

    private final FailoverPolicy policy;
    private final JobStore jobs;
    private final ModelCatalog models;
    private final ProviderDirectory providers;
    private final OutputStore outputs;
    private final ProgressQueue progress;
    private final JobEndings endings;
    private final JobStarts starts;
    private final CallbackUrls callbacks;
    private final TenantConcurrency concurrency;
    private final ProviderCapacity capacity;
    private final AttemptSlots slots;
    private final JobQueue queue;
    private final Settlements settlements;
    private final Clock clock;
    private final InputUrls inputs;
    private final WeightsUrls weights;
    private final PollSchedule schedule;
    private final Fanout fanout;

    /** @param fanout how writes to items of their own, none waiting on another, are made together */
    public StepExecutor(FailoverPolicy policy, JobStore jobs, ModelCatalog models, ProviderDirectory providers,
            OutputStore outputs, ProgressQueue progress, JobEndings endings, JobStarts starts, CallbackUrls callbacks,
            TenantConcurrency concurrency, ProviderCapacity capacity, JobQueue queue, Settlements settlements, Clock clock,
            InputUrls inputs, WeightsUrls weights,
            PollSchedule schedule, Fanout fanout) {
        this.weights = weights;
        this.fanout = fanout;
        this.policy = policy;
        this.jobs = jobs;
        this.models = models;
        this.providers = providers;
        this.outputs = outputs;
        this.progress = progress;
        this.endings = endings;
        this.starts = starts;
        this.callbacks = callbacks;
        this.concurrency = concurrency;
        this.capacity = capacity;
        this.slots = new AttemptSlots(capacity);
        this.queue = queue;
        this.settlements = settlements;
        this.clock = clock;
        this.inputs = inputs;
        this.schedule = schedule;
    }

    /** Takes the steps the policy decides from {@code event} on, until the job waits or has ended. */
    public void run(Job job, FailoverChain chain, FailoverEvent event) {
        Optional<Next> next = Optional.of(new Next(job, event));
        while (next.isPresent()) {
            Job current = next.get().job();
            next = apply(current, chain, policy.next(current, chain, next.get().event()));
        }
    }

    /** Fails a job that cannot be walked at all (its model is no longer offered). */
    public void fail(Job job, JobError error) {
        endAttempt(job, j -> j.fail(error, now()), true);
    }

    /**
     * Whatever ended the job, its tenant slot and its last attempt's provider slot are given back; for
     * a cancelled attempt, the one call that frees the provider slot also stops the work there, so it
     * is stopped exactly once; and its credits are settled, which happens once however often this
     * runs. Safe to repeat, and also right after a worker died between storing the end and giving the
     * slots back or settling.
     */
    public void settle(Job job) {
        // The tenant slot, the provider slot (with the stop at the provider) and the credits: none waits on another.
        Runnable providerSlot = () -> job.currentAttempt().ifPresent(attempt -> {
            if (slots.of(job, attempt).release() && attempt.outcome() == AttemptOutcome.CANCELED
                    && attempt.providerJobId().isPresent()) {
                models.find(attempt.model()).ifPresent(link -> stopAtProvider(job, link, attempt.providerJobId().get()));
            }
        });
        fanout.run(() -> settlements.settle(job), () -> concurrency.release(job), providerSlot);
    }

    private Optional<Next> apply(Job job, FailoverChain chain, Step step) {
        if (step instanceof Step.Submit submit) {
            return submit(job, submit);
        }
        if (step instanceof Step.Skip skip) {
            return Optional.of(new Next(job, skip.then()));
        }
        if (step instanceof Step.RetryRound retry) {
            LOG.info("job {}: every provider of its chain timed out; walking the chain once more", job.id());
            return Optional.of(new Next(job, FailoverEvent.LinkWanted.in(retry.round())));
        }
        if (step instanceof Step.WaitForRoom wait) {
            waitForRoom(job, wait.providers());
            return Optional.empty();
        }
        if (step instanceof Step.AwaitResult await) {
            awaitResult(job, await);
            return Optional.empty();
        }
        if (step instanceof Step.CheckAgain again) {
            progress.schedule(again.check(), again.delay());
            return Optional.empty();
        }
        if (step instanceof Step.LeaveRunning) {
            return Optional.empty();
        }
        if (step instanceof Step.FailOver failOver) {
            return failOver(job, failOver.outcome(), failOver.why());
        }
        if (step instanceof Step.Abandon abandon) {
            // The provider may still be working on it: stop it there, so it holds nothing of ours.
            ProviderAttempt attempt = openAttempt(job);
            models.find(attempt.model()).ifPresent(link -> stopAtProvider(job, link, attempt.providerJobId().orElseThrow()));
            return failOver(job, AttemptOutcome.TIMED_OUT, abandon.why());
        }
        if (step instanceof Step.CopyOutputs copy) {
            return copyOutputs(job, copy);
        }
        if (step instanceof Step.RetryCopy retry) {
            progress.schedule(retry.check(), retry.delay());
            return Optional.empty();
        }
        if (step instanceof Step.Succeed succeed) {
            // Only the copy of this walk leads here (FailoverPolicy), and it gave the provider's slot back already.
            endAttempt(job, j -> j.succeed(succeed.outputs(), succeed.providerDoneAt(), now()), false);
            return Optional.empty();
        }
        JobError error = ((Step.Fail) step).error();
        endAttempt(job, j -> j.fail(error, now()), true);
        return Optional.empty();
    }

    /** Takes the link's provider slot, begins the attempt (one write) and sends it; no slot: the link is passed over. */
    private Optional<Next> submit(Job job, Step.Submit submit) {
        Model link = submit.link();
        int number = job.attempts().size() + submit.passedOver().size() + 1;
        AttemptSlots.Room room = slots.take(job, number, link, now());
        if (room instanceof AttemptSlots.Full full) {
            return Optional.of(new Next(job, new FailoverEvent.NoRoom(submit, full.why())));
        }
        AttemptSlots.AttemptSlot slot = ((AttemptSlots.Taken) room).slot();
        Optional<Job> begun = jobs.transition(job,
                j -> j.beginAttempt(link.id(), link.provider(), submit.round(), submit.passedOver(), now()));
        if (begun.isEmpty()) {
            LOG.info("job {} was taken by another dispatcher; this delivery stops", job.id());
            Optional<Job> winner = jobs.find(job.id());
            slot.abandon(winner);
            winner.filter(j -> j.status().isTerminal()).ifPresent(this::settle);
            return Optional.empty();
        }
        Job attempting = begun.get();
        capacity.roomFound(attempting, now());
        var outcome = providers.clientFor(link.provider()).submit(requestFor(attempting, link, number));
        return Optional.of(new Next(attempting, new FailoverEvent.SubmitAnswered(outcome)));
    }

    private void awaitResult(Job attempting, Step.AwaitResult await) {
        Optional<Job> accepted = jobs.transition(attempting, j -> j.attemptSubmitted(await.providerJobId()));
        if (accepted.isPresent()) {
            progress.schedule(await.firstCheck(), await.delay());
            // The job starts once, when the first provider accepts it; a failover's later acceptance is no new start.
            // Should this worker die before the start is queued, the reconciler announces it (Settlement.unattempted).
            if (attempting.acceptedAttempt().isEmpty()) {
                starts.started(accepted.get());
            }
            return;
        }
        // The job changed while the provider accepted it (a cancel): the work is stopped there and its slot freed.
        ProviderAttempt attempt = openAttempt(attempting);
        Model link = models.find(attempt.model()).orElseThrow();
        LOG.info("job {} changed while provider {} accepted it as {}; cancelling it there", attempting.id(),
                link.provider(), await.providerJobId());
        stopAtProvider(attempting, link, await.providerJobId());
        slots.of(attempting, attempt).release();
        settleIfEnded(attempting.id());
    }

    private Optional<Next> failOver(Job job, AttemptOutcome outcome, String why) {
        ProviderAttempt from = openAttempt(job);
        Optional<Job> ended = jobs.transition(job, j -> j.attemptEnded(outcome, why, now()));
        if (ended.isEmpty()) {
            LOG.info("job {} changed while failing over from {}; the other writer carries on", job.id(), from.model());
            settleIfEnded(job.id());
            return Optional.empty();
        }
        slots.of(job, from).release();
        return Optional.of(new Next(ended.get(), FailoverEvent.LinkWanted.in(from.round())));
    }

    /**
     * Copies the finished attempt's outputs into the bucket, each under the key its job, attempt and
     * index name, and tells the policy how it went; nothing is written to the job. The provider's slot
     * is given back first: the provider was done when it answered, and a large copy holding it would
     * keep other jobs from a provider with room. Giving a slot back is idempotent, so whatever ends
     * the attempt later gives it back again harmlessly.
     */
    private Optional<Next> copyOutputs(Job job, Step.CopyOutputs copy) {
        ProviderAttempt attempt = openAttempt(job);
        slots.of(job, attempt).release();
        List<StoredOutput> stored = new ArrayList<>();
        for (int i = 0; i < copy.outputs().size(); i++) {
            Output source = copy.outputs().get(i);
            String key = job.request().training().isPresent()
                    ? StoredOutput.trainedKey(job.id(), attempt.number(), i, source.contentType())
                    : StoredOutput.key(job.id(), attempt.number(), i, source.contentType());
            CopyOutcome outcome = outputs.copy(source, key);
            if (!(outcome instanceof CopyOutcome.Copied copied)) {
                LOG.warn("job {}: output {} of attempt {} was not copied: {}", job.id(), i + 1, attempt.number(), outcome);
                return Optional.of(new Next(job, new FailoverEvent.CopyFailed(copy.check(), i, outcome)));
            }
            stored.add(new StoredOutput(key, copied.contentType(), copied.sizeBytes(), copied.sha256(), now(),
                    source.width(), source.height()));
        }
        return Optional.of(new Next(job, new FailoverEvent.Copied(stored, copy.providerDoneAt())));
    }

    /**
     * Writes a terminal job, gives back its tenant slot and the slot of the attempt that was open, and
     * only then announces the end ({@link Settlement}: an announced job holds no slot), which settles a
     * job without a webhook. A webhook attempt recorded on the job meanwhile does not stop it; when
     * another writer moved the job first, that writer carries it on.
     *
     * @param providerSlotHeld false when this walk gave the open attempt's provider slot back already (the
     *                         copy of a success does): releasing it again would be a write bound to fail
     */
    private void endAttempt(Job before, UnaryOperator<Job> ending, boolean providerSlotHeld) {
        Optional<Job> written = jobs.transition(before, ending);
        if (written.isEmpty()) {
            LOG.info("job {} moved before this writer could end it; the other writer carries on", before.id());
            // The other writer may have ended it (a cancel) with no message left to give the slots back.
            settleIfEnded(before.id());
            return;
        }
        Job terminal = written.get();
        // The slots and the credits before the announcement, which may take the job out of the reconciler's
        // index: should this worker die or any of them fail, the job is still there, and the reconciler
        // settles it first. They do not wait on each other, so they go side by side.
        Optional<ProviderAttempt> held = providerSlotHeld
                ? before.currentAttempt().filter(ProviderAttempt::isOpen)
                : Optional.empty();
        if (held.isPresent()) {
            fanout.run(() -> settlements.settle(terminal), () -> concurrency.release(terminal),
                    () -> slots.of(before, held.get()).release());
        } else {
            fanout.run(() -> settlements.settle(terminal), () -> concurrency.release(terminal));
        }
        endings.ended(terminal);
        if (Settlement.settledByAnnouncement(terminal)) {
            jobs.settled(terminal);
        }
    }

    /** Every remaining link is full for the job's tier: the job waits in its queue, not in a function. */
    private void waitForRoom(Job job, Set<String> full) {
        capacity.awaitRoom(job, full, now());
        if (job.status() == JobStatus.QUEUED) {
            // Not started: it does not hold its tenant's slot while it waits for a provider.
            concurrency.release(job);
        }
        var delay = capacity.retryDelay(job);
        LOG.info("job {} ({} tier) waits {} ms for a slot at {}", job.id(), job.tier().wireName(), delay.toMillis(), full);
        queue.enqueue(job, delay);
    }

    private void settleIfEnded(JobId id) {
        jobs.find(id).filter(j -> j.status().isTerminal()).ifPresent(this::settle);
    }

    private void stopAtProvider(Job of, Model link, String providerJobId) {
        JobId job = of.id();
        CancelOutcome outcome = providers.clientFor(link.provider())
                .cancel(new ProviderJobRef(models.providerModel(link, of.request().operation(),
                        of.request().weights().isPresent()), providerJobId, of.request().training().isPresent()));
        if (outcome instanceof CancelOutcome.Unavailable unavailable) {
            LOG.warn("job {}: {} could not be asked to cancel {} ({}); its result will be ignored", job, link.provider(),
                    providerJobId, unavailable.detail());
        }
    }

    /**
     * The request in the form every provider gets: the provider model of the job's operation, and
     * its input images as presigned GETs of the uploads bucket that outlive the attempt.
     */
    private ProviderRequest requestFor(Job job, Model model, int attempt) {
        var request = job.request();
        java.time.Duration valid = schedule.attemptTimeout(request.kind()).plus(INPUT_URL_GRACE);
        Optional<java.net.URI> callback = callbacks.forAttempt(model.provider(), job.id(), attempt);
        if (request.training().isPresent()) {
            var training = request.training().get();
            return ProviderRequest.training(model.providerModel(request.operation()), new ProviderRequest.Training(
                    inputs.signed(training.archive().orElseThrow(() -> new IllegalStateException(
                            "training " + job.id() + " was admitted without its images' archive")), valid),
                    training.triggerWord(), training.steps()), callback);
        }
        if (request.weights().isPresent()) {
            var trained = request.weights().get();
            return new ProviderRequest(models.providerModel(model, request.operation(), true), request.operation(), request.prompt(),
                    request.n(), request.size(), request.durationSeconds(), request.image().map(i -> inputUrl(i, valid)),
                    request.mask().map(m -> inputUrl(m, valid)), callback, Optional.empty(), Optional.empty(),
                    Optional.of(new ProviderRequest.Lora(weights.signed(trained.weightsKey(), valid), trained.scale())));
        }
        return new ProviderRequest(model.providerModel(request.operation()), request.operation(), request.prompt(),
                request.n(), request.size(), request.durationSeconds(), request.image().map(i -> inputUrl(i, valid)),
                request.mask().map(m -> inputUrl(m, valid)), callbacks.forAttempt(model.provider(), job.id(), attempt),
                request.kind() == JobKind.VIDEO ? Optional.of(request.videoResolution()) : Optional.empty());
    }

    /**
     * An upload or an earlier workflow step's stored output as a signed URL; a URL stored by a job
     * admitted before inputs were copied goes as it is.
     */
    private java.net.URI inputUrl(MediaSource source, java.time.Duration valid) {
        if (source instanceof MediaSource.Upload upload) {
            return inputs.signed(upload.id(), valid);
        }
        if (source instanceof MediaSource.Output output) {
            return inputs.signedOutput(output.key(), valid);
        }
        return ((MediaSource.Remote) source).url();
    }

    private static ProviderAttempt openAttempt(Job job) {
        return job.currentAttempt().filter(ProviderAttempt::isOpen)
                .orElseThrow(() -> new IllegalStateException("job " + job.id() + " has no open attempt"));
    }

    private Instant now() {
        return clock.instant();
    }

    /** The job as last written, and what the policy is told next. */
    private record Next(Job job, FailoverEvent event) {
    }
}
