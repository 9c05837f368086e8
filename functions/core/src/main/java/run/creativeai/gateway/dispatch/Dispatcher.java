package run.creativeai.gateway.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobStarts;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.Settlement;
import run.creativeai.gateway.model.FailoverChain;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderDirectory;
import run.creativeai.gateway.provider.ProviderJobRef;

/**
 * Moves jobs through their providers, one message at a time: starts a queued job, looks at a
 * running attempt, settles a cancelled job, resumes a job whose step a crash lost, ends a job whose
 * {@code Cancel-After} deadline has passed. It reads the job,
 * tells {@link FailoverPolicy} what happened and lets {@link StepExecutor} take the steps the policy
 * decides. Every step is a conditional write of the job's next version, so a duplicated or
 * concurrent message finds the step already taken and does nothing: a job is submitted to a provider
 * at most once per attempt. A finished attempt's outputs are copied into the gateway's bucket
 * ({@link OutputStore}) before the job succeeds, under keys that name job, attempt and output, so a
 * copy made again by a repeated message replaces the first.
 *
 * <p>A job starts only once it holds one of its tenant's concurrency slots ({@link TenantConcurrency}),
 * and each attempt only once it holds a slot of its provider ({@link ProviderCapacity}, through
 * {@link run.creativeai.gateway.concurrency.AttemptSlots}). Nothing waits in a function: a job
 * without a slot goes back to its queue with a delay.
 */
public final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final JobStore jobs;
    private final ModelCatalog models;
    private final ProviderDirectory providers;
    private final TenantConcurrency concurrency;
    private final JobQueue queue;
    private final StepExecutor steps;
    private final JobCancellation deadlines;
    private final DeadlineTimer timer;
    private final Clock clock;

    public Dispatcher(JobStore jobs, ModelCatalog models, ProviderDirectory providers, OutputStore outputs,
            ProgressQueue progress, JobEndings endings, JobStarts starts, PollSchedule schedule, CallbackUrls callbacks,
            TenantConcurrency concurrency, ProviderCapacity capacity, JobQueue queue, Settlements settlements, Clock clock,
            InputUrls inputs, DeadlineTimer timer) {
        this(jobs, models, providers, outputs, progress, endings, starts, schedule, callbacks, concurrency, capacity, queue,
                settlements, clock, inputs, timer, WeightsUrls.none(), Fanout.inOrder());
    }

    /**
     * @param weights signs the URLs of tenants' trained LoRA weights, for generations that name a trained model
     * @param fanout how an ending job's slots and credits, items of their own, are written together
     */
    public Dispatcher(JobStore jobs, ModelCatalog models, ProviderDirectory providers, OutputStore outputs,
            ProgressQueue progress, JobEndings endings, JobStarts starts, PollSchedule schedule, CallbackUrls callbacks,
            TenantConcurrency concurrency, ProviderCapacity capacity, JobQueue queue, Settlements settlements, Clock clock,
            InputUrls inputs, DeadlineTimer timer, WeightsUrls weights, Fanout fanout) {
        this.jobs = jobs;
        this.models = models;
        this.providers = providers;
        this.concurrency = concurrency;
        this.queue = queue;
        this.clock = clock;
        this.steps = new StepExecutor(new FailoverPolicy(schedule), jobs, models, providers, outputs, progress,
                endings, starts, callbacks, concurrency, capacity, queue, settlements, clock, inputs, weights, schedule,
                fanout);
        // A deadline ends a job as a customer's cancel does; the provider is told here, not through a message.
        this.deadlines = new JobCancellation(jobs, concurrency, endings, this::canceled, settlements, clock);
        this.timer = timer;
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
            steps.settle(job);
            return;
        }
        if (job.status() != JobStatus.QUEUED && !job.isBetweenLinks()) {
            LOG.info("job {} is already {}; repeated start ignored", id, job.status().wireName());
            return;
        }
        if (expired(job)) {
            return;
        }
        if (concurrency.tryStart(job, clock.instant()) instanceof SlotGrant.Full full) {
            LOG.info("job {} waits for a slot: its tenant's {} limit is reached", id, full.limitedBy().describe());
            queue.enqueue(job, concurrency.retryDelay(job.request().kind()));
            return;
        }
        Optional<Model> model = models.find(job.model());
        if (model.isEmpty()) {
            steps.fail(job, new JobError("model_unavailable", "model " + job.model() + " is no longer offered"));
            return;
        }
        // A job that went back to its queue for want of a provider slot resumes after the last link it tried.
        steps.run(job, models.chainFor(model.get(), job.request().weights().isPresent()), FailoverEvent.LinkWanted.in(job.round()));
    }

    /** A scheduled look at a running attempt, or one its provider's callback prompted. */
    public void checkProgress(ProgressCheck check) {
        Optional<Job> found = jobs.find(check.jobId());
        if (found.isPresent() && found.get().status().isTerminal()) {
            // A check that outlived its job: the slots may still be held if the job's worker died
            // after storing the end, unless the job's webhook attempt says they were given back.
            if (!Settlement.slotsGivenBack(found.get())) {
                steps.settle(found.get());
            }
            return;
        }
        if (found.isEmpty() || found.get().status() != JobStatus.RUNNING || expired(found.get())) {
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
                .progress(new ProviderJobRef(models.providerModel(link, job.request().operation(),
                        job.request().weights().isPresent()), attempt.providerJobId().get(),
                        job.request().training().isPresent()));
        steps.run(job, chainOf(job), new FailoverEvent.Looked(check, outcome, clock.instant()));
    }

    /**
     * The customer cancelled the job (the ingress wrote it and asks here, since only the dispatcher
     * holds provider credentials): stop its attempt at the provider and give its slots back.
     */
    public void canceled(JobId id) {
        jobs.find(id).filter(j -> j.status().isTerminal()).ifPresent(steps::settle);
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
            found.filter(j -> j.status().isTerminal()).ifPresent(steps::settle);
            return;
        }
        Job job = found.get();
        if (expired(job)) {
            return;
        }
        ProviderAttempt last = job.currentAttempt().orElseThrow();
        if (last.isOpen() && last.providerJobId().isPresent()) {
            // The progress checks stopped: look now. An unfinished attempt schedules the next check,
            // one past its timeout fails over.
            checkProgress(new ProgressCheck(id, last.number(), 1));
        } else if (last.isOpen()) {
            // Died between handing the job to the provider and recording the provider's id: that
            // request cannot be looked up again, so the link counts as timed out.
            steps.run(job, chainOf(job), new FailoverEvent.SubmissionLost());
        } else {
            // Died between ending one attempt and beginning the next: carry on down the chain.
            steps.run(job, chainOf(job), FailoverEvent.LinkWanted.in(last.round()));
        }
    }

    /**
     * The job's {@code Cancel-After} timer went off: a job whose deadline has passed is aborted
     * (queued) or cancelled at its provider (running); one whose deadline is still ahead (the queue
     * delays a message 15 minutes at most) is looked at again when it passes. An ended job needs
     * nothing.
     */
    public void deadline(JobId id) {
        Optional<Job> found = jobs.find(id);
        if (found.isEmpty() || found.get().status().isTerminal() || found.get().deadline().isEmpty()) {
            return;
        }
        Job job = found.get();
        if (!expired(job)) {
            timer.schedule(id, Duration.between(clock.instant(), job.deadline().get()));
        }
    }

    /**
     * Ends the job if its deadline has passed, before anything else is done with it: every message that
     * brings a job here checks, so a deadline holds even when its timer was lost.
     */
    private boolean expired(Job job) {
        if (!job.isPastDeadline(clock.instant())) {
            return false;
        }
        JobCancellation.Result result = deadlines.expire(job);
        LOG.info("job {} reached its deadline {}: {}", job.id(), job.deadline().orElseThrow(),
                result.job().status().wireName());
        return true;
    }

    private FailoverChain chainOf(Job job) {
        return models.chainFor(models.find(job.model()).orElseThrow(), job.request().weights().isPresent());
    }
}
