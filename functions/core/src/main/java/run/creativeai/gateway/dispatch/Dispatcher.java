package run.creativeai.gateway.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.model.FailoverChain;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderDirectory;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;

/**
 * Moves jobs through their providers: starts a queued job on the first link of its failover chain,
 * checks on it through delayed progress messages, and walks down the chain when a provider cannot
 * serve. Every step is a conditional write of the job's next version, so a duplicated or
 * concurrent message finds the step already taken and does nothing: a job is submitted to a
 * provider at most once per attempt.
 *
 * <p>A job starts only once it holds one of its tenant's concurrency slots, and each attempt only
 * once it holds a slot of its provider ({@link ProviderCapacity}, which gives enterprise work the
 * first free slots). A link with no slot for the job's tier is passed over like a provider that
 * answered 429, without calling it; when no remaining link has room the job goes back to its queue
 * with a delay and resumes after the last link it tried. Nothing waits in a function.
 *
 * <p>When every link of a round timed out, the chain is walked once more from the first link; a
 * second such round fails the job with {@code upstream_timeout} (504 semantics).
 *
 * <p>Slots are given back when their holder is done: the provider slot when its attempt ends, the
 * tenant slot when the job ends, and both whenever a message finds its job already ended (cancelled,
 * or ended by a worker that died before giving them back). A cancelled attempt is stopped at its
 * provider by whichever message first frees its provider slot, so exactly once.
 */
public final class Dispatcher {
    /** A chain that timed out as a whole is walked once more; after the second time the job fails. */
    static final int ROUNDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final JobStore jobs;
    private final ModelCatalog models;
    private final ProviderDirectory providers;
    private final ProgressQueue progress;
    private final JobEndings endings;
    private final PollSchedule schedule;
    private final CallbackUrls callbacks;
    private final TenantConcurrency concurrency;
    private final ProviderCapacity capacity;
    private final JobQueue queue;
    private final Clock clock;

    public Dispatcher(JobStore jobs, ModelCatalog models, ProviderDirectory providers,
            ProgressQueue progress, JobEndings endings, PollSchedule schedule, CallbackUrls callbacks,
            TenantConcurrency concurrency, ProviderCapacity capacity, JobQueue queue, Clock clock) {
        this.jobs = jobs;
        this.concurrency = concurrency;
        this.capacity = capacity;
        this.queue = queue;
        this.models = models;
        this.providers = providers;
        this.progress = progress;
        this.endings = endings;
        this.schedule = schedule;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** A job arrived from its tier queue: new, or back from waiting for a slot. */
    public void start(JobId id) {
        Optional<Job> found = jobs.find(id);
        if (found.isEmpty()) {
            LOG.warn("job {} to start does not exist; message dropped", id);
            return;
        }
        Job job = found.get();
        if (job.status().isTerminal()) {
            settle(job);
            return;
        }
        if (job.status() != JobStatus.QUEUED && !job.isBetweenLinks()) {
            LOG.info("job {} is already {}; repeated start ignored", id, job.status().wireName());
            return;
        }
        if (concurrency.tryStart(job, now()) instanceof SlotGrant.Full full) {
            LOG.info("job {} waits for a slot: its tenant's {} limit is reached", id, full.limitedBy());
            queue.enqueue(job, concurrency.retryDelay(job.request().kind()));
            return;
        }
        Optional<Model> model = models.find(job.model());
        if (model.isEmpty()) {
            finish(job.fail(new JobError("model_unavailable", "model " + job.model() + " is no longer offered"), now()));
            return;
        }
        FailoverChain chain = models.chainFor(model.get());
        // A job that went back to its queue for want of a provider slot resumes after the last link it tried.
        Optional<Model> next = job.currentAttempt().map(last -> chain.after(last.model())).orElse(Optional.of(chain.first()));
        walkChain(job, chain, next, job.round());
    }

    /** A scheduled look at a running attempt. */
    public void checkProgress(ProgressCheck check) {
        Optional<Job> found = jobs.find(check.jobId());
        if (found.isPresent() && found.get().status().isTerminal()) {
            settle(found.get());
            return;
        }
        if (found.isEmpty() || found.get().status() != JobStatus.RUNNING) {
            return;
        }
        Job job = found.get();
        Optional<ProviderAttempt> open = job.currentAttempt()
                .filter(a -> a.number() == check.attempt() && a.isOpen() && a.providerJobId().isPresent());
        if (open.isEmpty()) {
            LOG.info("progress check {} of job {} is stale; ignored", check.check(), job.id());
            return;
        }
        ProviderAttempt attempt = open.get();
        Model link = models.find(attempt.model()).orElseThrow();
        ProgressOutcome outcome = providers.clientFor(link.provider())
                .progress(new ProviderJobRef(link.providerModel(), attempt.providerJobId().get()));
        if (outcome instanceof ProgressOutcome.Completed completed) {
            if (finish(job.succeed(completed.outputs(), now()))) {
                releaseProviderSlot(job, attempt);
            }
        } else if (outcome instanceof ProgressOutcome.InputRejected rejected) {
            if (finish(job.fail(new JobError("provider_rejected_input", rejected.message()), now()))) {
                releaseProviderSlot(job, attempt);
            }
        } else if (outcome instanceof ProgressOutcome.Failed failed) {
            // CIRCUIT_OPEN here: the provider stopped answering mid-job and its shared circuit opened.
            AttemptOutcome ended = failed.reason() == Unavailability.TIMEOUT ? AttemptOutcome.TIMED_OUT
                    : AttemptOutcome.UNAVAILABLE;
            failOver(job, attempt, ended, reason(failed.reason()) + ": " + failed.detail());
        } else if (!check.isAnnounced()) {
            // An announced check that finds the work unfinished leaves the scheduled checks to carry on.
            Duration running = Duration.between(attempt.startedAt(), now());
            if (running.compareTo(schedule.attemptTimeout(job.request().kind())) >= 0) {
                // The provider may still be working on it: stop it there, so it holds nothing of ours.
                cancelAtProvider(link, attempt.providerJobId().get(), job.id());
                failOver(job, attempt, AttemptOutcome.TIMED_OUT, "timeout: no result after " + running.toSeconds() + " s");
            } else {
                int next = check.check() + 1;
                progress.schedule(new ProgressCheck(job.id(), attempt.number(), next),
                        schedule.delayBefore(job.request().kind(), next));
            }
        }
    }

    /**
     * The customer cancelled the job (the ingress wrote it and asks here, since only the dispatcher
     * holds provider credentials): stop its attempt at the provider and give its slots back.
     */
    public void canceled(JobId id) {
        jobs.find(id).filter(j -> j.status().isTerminal()).ifPresent(this::settle);
    }

    /**
     * Crash recovery, asked for by the reconciler when a job has not moved for longer than any live
     * step takes: a dispatcher died between two of its writes, and the message that would have
     * carried the job on was already consumed (SQS redelivers the message of a step that died, but a
     * redelivered start finds the job running and stops). This takes the step that was lost. Every
     * step is still a conditional write, so a resume that meets a live dispatcher does nothing.
     */
    public void resume(JobId id) {
        Optional<Job> found = jobs.find(id);
        if (found.isEmpty() || found.get().status() != JobStatus.RUNNING) {
            // Queued jobs are queued again by the reconciler itself; ended ones need nothing here but their slots.
            found.filter(j -> j.status().isTerminal()).ifPresent(this::settle);
            return;
        }
        Job job = found.get();
        ProviderAttempt last = job.currentAttempt().orElseThrow();
        if (last.isOpen() && last.providerJobId().isPresent()) {
            // The progress checks stopped: look now. An unfinished attempt schedules the next check,
            // one past its timeout fails over.
            checkProgress(new ProgressCheck(id, last.number(), 1));
        } else if (last.isOpen()) {
            // Died between handing the job to the provider and recording the provider's id: that
            // request cannot be looked up again, so the link counts as timed out.
            failOver(job, last, AttemptOutcome.TIMED_OUT, "timeout: the submission was never recorded");
        } else {
            // Died between ending one attempt and beginning the next: carry on down the chain.
            FailoverChain chain = models.chainFor(models.find(job.model()).orElseThrow());
            walkChain(job, chain, chain.after(last.model()), last.round());
        }
    }

    private void failOver(Job job, ProviderAttempt from, AttemptOutcome outcome, String why) {
        Job ended = job.attemptEnded(outcome, why, now());
        if (!jobs.update(ended)) {
            LOG.info("job {} changed while failing over from {}; the other writer carries on", job.id(), from.model());
            return;
        }
        releaseProviderSlot(job, from);
        FailoverChain chain = models.chainFor(models.find(job.model()).orElseThrow());
        walkChain(ended, chain, chain.after(from.model()), from.round());
    }

    /** Tries {@code link} and the links after it until one accepts the job, the chain ends, or none has room. */
    private void walkChain(Job job, FailoverChain chain, Optional<Model> link, int round) {
        Job current = job;
        // Links with no slot for this job's tier, passed over without calling their provider.
        List<Skip> noRoom = new ArrayList<>();
        while (link.isPresent()) {
            Model model = link.get();
            int number = current.attempts().size() + noRoom.size() + 1;
            if (capacity.take(current, number, model.provider(), now()) instanceof SlotGrant.Full full) {
                noRoom.add(new Skip(model, noRoomDetail(model.provider(), full)));
                link = chain.after(model.id());
                continue;
            }
            for (Skip skip : noRoom) {
                Job skipped = current.linkSkipped(skip.model().id(), skip.model().provider(), round, skip.detail(), now());
                if (!jobs.update(skipped)) {
                    abandonSlot(job.id(), job.tier(), number, model.provider());
                    return;
                }
                current = skipped;
            }
            noRoom.clear();
            Job attempting = current.beginAttempt(model.id(), model.provider(), round, now());
            if (!jobs.update(attempting)) {
                LOG.info("job {} was taken by another dispatcher; this delivery stops", job.id());
                abandonSlot(job.id(), job.tier(), number, model.provider());
                return;
            }
            capacity.roomFound(attempting, providersOf(chain.links()), now());
            SubmitOutcome outcome = providers.clientFor(model.provider()).submit(requestFor(attempting, model, number));
            if (outcome instanceof SubmitOutcome.Submitted submitted) {
                Job running = attempting.attemptSubmitted(submitted.providerJobId());
                if (!jobs.update(running)) {
                    abandonSubmission(attempting, model, submitted.providerJobId());
                    return;
                }
                progress.schedule(new ProgressCheck(job.id(), number, 1), schedule.delayBefore(job.request().kind(), 1));
                return;
            }
            // The provider did not take the work: its slot is free again whatever happens to the job.
            capacity.release(job.id(), job.tier(), number, model.provider());
            if (outcome instanceof SubmitOutcome.InputRejected rejected) {
                finish(attempting.fail(new JobError("provider_rejected_input", rejected.message()), now()));
                return;
            }
            SubmitOutcome.Unavailable unavailable = (SubmitOutcome.Unavailable) outcome;
            AttemptOutcome ended = switch (unavailable.reason()) {
                case TIMEOUT -> AttemptOutcome.TIMED_OUT;
                case CIRCUIT_OPEN -> AttemptOutcome.SKIPPED;
                default -> AttemptOutcome.UNAVAILABLE;
            };
            current = attempting.attemptEnded(ended, reason(unavailable.reason()) + ": " + unavailable.detail(), now());
            if (!jobs.update(current)) {
                return;
            }
            link = chain.after(model.id());
        }
        if (!noRoom.isEmpty()) {
            waitForRoom(current, noRoom);
            return;
        }
        chainEnded(current, chain, round);
    }

    /** Every remaining link is full for the job's tier: the job waits in its queue, not in a function. */
    private void waitForRoom(Job job, List<Skip> noRoom) {
        Set<String> full = providersOf(noRoom.stream().map(Skip::model).toList());
        capacity.awaitRoom(job, full, now());
        if (job.status() == JobStatus.QUEUED) {
            // Not started: it does not hold its tenant's slot while it waits for a provider.
            concurrency.release(job);
        }
        Duration delay = capacity.retryDelay(job);
        LOG.info("job {} ({} tier) waits {} ms for a slot at {}", job.id(), job.tier().wireName(), delay.toMillis(), full);
        queue.enqueue(job, delay);
    }

    private void chainEnded(Job job, FailoverChain chain, int round) {
        if (timedOut(job, round)) {
            if (round < ROUNDS) {
                LOG.info("job {}: every provider of its chain timed out; walking the chain once more", job.id());
                walkChain(job, chain, Optional.of(chain.first()), round + 1);
                return;
            }
            finish(job.fail(new JobError("upstream_timeout", "every provider of the " + job.model()
                    + " failover chain timed out, twice (504 Gateway Timeout); submit the job again later"), now()));
            return;
        }
        finish(job.fail(new JobError("providers_unavailable",
                "no provider of the " + job.model() + " failover chain could serve the job"), now()));
    }

    /** A round timed out when every link it called timed out (links passed over without a call do not count). */
    static boolean timedOut(Job job, int round) {
        List<ProviderAttempt> attempts = job.attempts().stream().filter(a -> a.round() == round).toList();
        return attempts.stream().anyMatch(a -> a.outcome() == AttemptOutcome.TIMED_OUT)
                && attempts.stream().allMatch(a -> a.outcome() == AttemptOutcome.TIMED_OUT
                        || a.outcome() == AttemptOutcome.SKIPPED);
    }

    /**
     * The job lost a race after its provider slot was taken. The slot is kept only if the winner's
     * attempt of that number is on the same provider (it then holds the very same slot and frees it).
     */
    private void abandonSlot(JobId id, Tier tier, int number, String provider) {
        Optional<Job> now = jobs.find(id);
        boolean winnerHoldsIt = now.flatMap(j -> j.attempts().stream().filter(a -> a.number() == number).findFirst())
                .filter(a -> a.provider().equals(provider)).isPresent();
        if (!winnerHoldsIt) {
            capacity.release(id, tier, number, provider);
        }
        now.filter(j -> j.status().isTerminal()).ifPresent(this::settle);
    }

    /** The job changed while its provider accepted it (a cancel): the work is stopped there and its slot freed. */
    private void abandonSubmission(Job attempting, Model link, String providerJobId) {
        ProviderAttempt attempt = attempting.currentAttempt().orElseThrow();
        LOG.info("job {} changed while provider {} accepted it as {}; cancelling it there", attempting.id(),
                link.provider(), providerJobId);
        cancelAtProvider(link, providerJobId, attempting.id());
        capacity.release(attempting.id(), attempting.tier(), attempt.number(), attempt.provider());
        jobs.find(attempting.id()).filter(j -> j.status().isTerminal()).ifPresent(this::settle);
    }

    /**
     * Whatever ended the job, its tenant slot and its last attempt's provider slot are given back; for
     * a cancelled attempt, the one call that frees the provider slot also stops the work there. Safe
     * to repeat.
     */
    private void settle(Job job) {
        concurrency.release(job);
        // Also after a worker died between storing the end and freeing the slot: releasing is per
        // attempt, so a second release of a slot already given back changes nothing.
        job.currentAttempt().ifPresent(attempt -> {
            if (capacity.release(job.id(), job.tier(), attempt.number(), attempt.provider())
                    && attempt.outcome() == AttemptOutcome.CANCELED && attempt.providerJobId().isPresent()) {
                models.find(attempt.model()).ifPresent(link -> cancelAtProvider(link, attempt.providerJobId().get(), job.id()));
            }
        });
    }

    private void cancelAtProvider(Model link, String providerJobId, JobId job) {
        CancelOutcome outcome = providers.clientFor(link.provider())
                .cancel(new ProviderJobRef(link.providerModel(), providerJobId));
        if (outcome instanceof CancelOutcome.Unavailable unavailable) {
            LOG.warn("job {}: {} could not be asked to cancel {} ({}); its result will be ignored", job, link.provider(),
                    providerJobId, unavailable.detail());
        }
    }

    private void releaseProviderSlot(Job job, ProviderAttempt attempt) {
        capacity.release(job.id(), job.tier(), attempt.number(), attempt.provider());
    }

    private ProviderRequest requestFor(Job job, Model model, int attempt) {
        var request = job.request();
        return new ProviderRequest(model.providerModel(), request.kind(), request.prompt(), request.n(),
                request.size(), request.durationSeconds(), request.imageUrl(),
                callbacks.forAttempt(model.provider(), job.id(), attempt));
    }

    /** Writes a terminal job and announces it; false when another writer changed the job first. */
    private boolean finish(Job terminal) {
        if (jobs.update(terminal)) {
            endings.ended(terminal);
            concurrency.release(terminal);
            return true;
        }
        LOG.info("job {} changed before it could become {}; the other writer carries on", terminal.id(),
                terminal.status().wireName());
        // The other writer may have ended it (a cancel) with no message left to give the slots back.
        jobs.find(terminal.id()).filter(j -> j.status().isTerminal()).ifPresent(this::settle);
        return false;
    }

    private String noRoomDetail(String provider, SlotGrant.Full full) {
        return "capacity: " + ("total".equals(full.limitedBy())
                ? "all " + capacity.capacity(provider) + " slots the gateway keeps for " + provider + " are in use"
                : provider + "'s free slots are kept for waiting higher-tier jobs");
    }

    private static String reason(Unavailability reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static Set<String> providersOf(List<Model> links) {
        Set<String> names = new LinkedHashSet<>();
        links.forEach(m -> names.add(m.provider()));
        return names;
    }

    private Instant now() {
        return clock.instant();
    }

    private record Skip(Model model, String detail) {
    }
}
