package run.creativeai.gateway.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderDirectory;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;

/**
 * Moves jobs through their providers: starts a queued job on the first link of its failover chain,
 * checks on it through delayed progress messages, and walks down the chain when a provider cannot
 * serve. Every step is a conditional write of the job's next version, so a duplicated or
 * concurrent message finds the step already taken and does nothing: a job is submitted to a
 * provider at most once per attempt.
 *
 * <p>A job starts only once it holds one of its tenant's concurrency slots; without one it goes back
 * to its queue with a delay. The slot is given back when the job ends, and whenever a message finds
 * its job already ended (cancelled, or ended by a worker that died before giving the slot back).
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final JobStore jobs;
    private final ModelCatalog models;
    private final ProviderDirectory providers;
    private final ProgressQueue progress;
    private final JobEndings endings;
    private final PollSchedule schedule;
    private final CallbackUrls callbacks;
    private final TenantConcurrency concurrency;
    private final JobQueue queue;
    private final Clock clock;

    public Dispatcher(JobStore jobs, ModelCatalog models, ProviderDirectory providers,
            ProgressQueue progress, JobEndings endings, PollSchedule schedule, CallbackUrls callbacks,
            TenantConcurrency concurrency, JobQueue queue, Clock clock) {
        this.jobs = jobs;
        this.concurrency = concurrency;
        this.queue = queue;
        this.models = models;
        this.providers = providers;
        this.progress = progress;
        this.endings = endings;
        this.schedule = schedule;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** A job arrived from its tier queue. */
    public void start(JobId id) {
        Optional<Job> found = jobs.find(id);
        if (found.isEmpty()) {
            LOG.warn("job {} to start does not exist; message dropped", id);
            return;
        }
        Job job = found.get();
        if (job.status().isTerminal()) {
            concurrency.release(job);
        }
        if (job.status() != JobStatus.QUEUED) {
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
        walkChain(job, models.chainFor(model.get()), model);
    }

    /** A scheduled look at a running attempt. */
    public void checkProgress(ProgressCheck check) {
        Optional<Job> found = jobs.find(check.jobId());
        if (found.isPresent() && found.get().status().isTerminal()) {
            concurrency.release(found.get());
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
            finish(job.succeed(completed.outputs(), now()));
        } else if (outcome instanceof ProgressOutcome.InputRejected rejected) {
            finish(job.fail(new JobError("provider_rejected_input", rejected.message()), now()));
        } else if (outcome instanceof ProgressOutcome.Failed failed) {
            failOver(job, link, failed.reason().name().toLowerCase(Locale.ROOT) + ": " + failed.detail());
        } else if (!check.isAnnounced()) {
            // An announced check that finds the work unfinished leaves the scheduled checks to carry on.
            Duration running = Duration.between(attempt.startedAt(), now());
            if (running.compareTo(schedule.attemptTimeout(job.request().kind())) >= 0) {
                failOver(job, link, "timeout: no result after " + running.toSeconds() + " s");
            } else {
                int next = check.check() + 1;
                progress.schedule(new ProgressCheck(job.id(), attempt.number(), next),
                        schedule.delayBefore(job.request().kind(), next));
            }
        }
    }

    /**
     * Crash recovery, asked for by the reconciler when a running job has not moved for longer than
     * any live step takes: a dispatcher died between two of its writes, and the message that would
     * have carried the job on was already consumed (SQS redelivers the message of a step that died,
     * but a redelivered start finds the job running and stops). This takes the step that was lost.
     * Every step is still a conditional write, so a resume that meets a live dispatcher does nothing.
     */
    public void resume(JobId id) {
        Optional<Job> found = jobs.find(id);
        if (found.isEmpty() || found.get().status() != JobStatus.RUNNING) {
            // Queued jobs are queued again by the reconciler itself; ended ones need nothing here but their slot.
            found.filter(j -> j.status().isTerminal()).ifPresent(concurrency::release);
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
            failOver(job, models.find(last.model()).orElseThrow(), "timeout: the submission was never recorded");
        } else {
            // Died between ending one attempt and beginning the next: carry on down the chain.
            FailoverChain chain = models.chainFor(models.find(job.model()).orElseThrow());
            walkChain(job, chain, chain.after(last.model()));
        }
    }

    private void failOver(Job job, Model from, String why) {
        Job ended = job.attemptEnded(AttemptOutcome.UNAVAILABLE, why, now());
        if (!jobs.update(ended)) {
            LOG.info("job {} changed while failing over from {}; the other writer carries on", job.id(), from.id());
            return;
        }
        FailoverChain chain = models.chainFor(models.find(job.model()).orElseThrow());
        walkChain(ended, chain, chain.after(from.id()));
    }

    /** Tries {@code link} and the links after it until one accepts the job or the chain ends. */
    private void walkChain(Job job, FailoverChain chain, Optional<Model> link) {
        Job current = job;
        while (link.isPresent()) {
            Model model = link.get();
            Job attempting = current.beginAttempt(model.id(), model.provider(), now());
            if (!jobs.update(attempting)) {
                LOG.info("job {} was taken by another dispatcher; this delivery stops", job.id());
                jobs.find(job.id()).filter(j -> j.status().isTerminal()).ifPresent(concurrency::release);
                return;
            }
            SubmitOutcome outcome = providers.clientFor(model.provider()).submit(requestFor(attempting, model,
                    attempting.currentAttempt().orElseThrow().number()));
            if (outcome instanceof SubmitOutcome.Submitted submitted) {
                Job running = attempting.attemptSubmitted(submitted.providerJobId());
                if (!jobs.update(running)) {
                    LOG.warn("job {} changed while provider {} accepted it as {}", job.id(), model.provider(),
                            submitted.providerJobId());
                    return;
                }
                int attempt = running.currentAttempt().orElseThrow().number();
                progress.schedule(new ProgressCheck(job.id(), attempt, 1), schedule.delayBefore(job.request().kind(), 1));
                return;
            }
            if (outcome instanceof SubmitOutcome.InputRejected rejected) {
                finish(attempting.fail(new JobError("provider_rejected_input", rejected.message()), now()));
                return;
            }
            SubmitOutcome.Unavailable unavailable = (SubmitOutcome.Unavailable) outcome;
            current = attempting.attemptEnded(AttemptOutcome.UNAVAILABLE,
                    unavailable.reason().name().toLowerCase(Locale.ROOT) + ": " + unavailable.detail(), now());
            if (!jobs.update(current)) {
                return;
            }
            link = chain.after(model.id());
        }
        finish(current.fail(new JobError("providers_unavailable",
                "no provider of the " + current.model() + " failover chain could serve the job"), now()));
    }

    private ProviderRequest requestFor(Job job, Model model, int attempt) {
        var request = job.request();
        return new ProviderRequest(model.providerModel(), request.kind(), request.prompt(), request.n(),
                request.size(), request.durationSeconds(), request.imageUrl(),
                callbacks.forAttempt(model.provider(), job.id(), attempt));
    }

    private void finish(Job terminal) {
        if (jobs.update(terminal)) {
            endings.ended(terminal);
            concurrency.release(terminal);
        } else {
            LOG.info("job {} changed before it could become {}; the other writer carries on", terminal.id(),
                    terminal.status().wireName());
            // The other writer may have ended it (a cancel) with no message left to give the slot back.
            jobs.find(terminal.id()).filter(j -> j.status().isTerminal()).ifPresent(concurrency::release);
        }
    }

    private Instant now() {
        return clock.instant();
    }
}
