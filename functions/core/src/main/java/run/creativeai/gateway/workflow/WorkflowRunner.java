package run.creativeai.gateway.workflow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.admission.AdmissionResult;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobOutput;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.StepOf;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.plan.PlanCatalog;

/**
 * Moves a workflow on, one message at a time: it reads the workflow and its steps' jobs and takes the
 * next step that follows. A queued workflow takes one of its tenant's workflow slots and starts; a
 * step whose inputs' steps have all succeeded is claimed (a conditional write, so a repeated message
 * cannot admit it twice) and admitted as an ordinary job under the id the workflow gave it, its
 * references resolved to the stored outputs they name; a step a limit refuses waits for the window
 * and is tried again by a delayed message; a failed or cancelled step fails the workflow and cancels
 * the steps still running; once every step has succeeded the workflow has. A workflow made with a
 * {@code Cancel-After} must end by its deadline: every step's job carries that deadline, and a look
 * after it, with a step still to admit or to finish, fails the workflow ({@code deadline_exceeded}) and
 * stops its steps as their deadline stops any job; a wait for a slot or a limit's window is cut short to
 * look then. Whatever ends the workflow gives its slot back before it announces the end. Every job a
 * workflow started ends by sending this a message ({@link WorkflowStepEndings}), and the reconciler
 * sends one to a workflow that rested too long, so a crash between a step's end and its dependents'
 * start loses nothing.
 */
public final class WorkflowRunner {
    /** A claim older than this whose job does not exist was made by a function that died while admitting. */
    public static final Duration CLAIM_LEASE = Duration.ofMinutes(2);
    private static final int WRITES = 8;
    /** Why a workflow still running at its {@code Cancel-After} deadline failed. */
    public static final JobError DEADLINE_EXCEEDED = new JobError("deadline_exceeded",
            "the workflow did not finish before its Cancel-After deadline");
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);

    private final WorkflowStore workflows;
    private final JobStore jobs;
    private final AdmissionService admissions;
    private final PlanCatalog plans;
    private final JobCancellation cancellation;
    private final WorkflowSlots slots;
    private final WorkflowQueue queue;
    private final WorkflowEndings endings;
    private final Clock clock;

    public WorkflowRunner(WorkflowStore workflows, JobStore jobs, AdmissionService admissions, PlanCatalog plans,
            JobCancellation cancellation, WorkflowSlots slots, WorkflowQueue queue, WorkflowEndings endings, Clock clock) {
        this.workflows = workflows;
        this.jobs = jobs;
        this.admissions = admissions;
        this.plans = plans;
        this.cancellation = cancellation;
        this.slots = slots;
        this.queue = queue;
        this.endings = endings;
        this.clock = clock;
    }

    /** Takes the workflow's next steps, as far as they go without waiting. Safe to repeat. */
    public void advance(WorkflowId id) {
        for (int write = 0; write < WRITES; write++) {
            Optional<Workflow> found = workflows.find(id);
            if (found.isEmpty()) {
                LOG.warn("workflow {} to advance does not exist; message dropped", id);
                return;
            }
            if (step(found.get())) {
                return;
            }
        }
        // Still changing under this message: it is redelivered (or the reconciler sends another).
        throw new IllegalStateException("workflow " + id + " kept changing for " + WRITES + " writes");
    }

    /** What a cancel did: the workflow is now cancelled, or had already ended and was left as it was. */
    public record Cancel(Workflow workflow, boolean canceled) {
    }

    /**
     * The customer's cancel: the workflow is written cancelled (conditional, retried over concurrent
     * changes), its steps still queued or running are cancelled as any job is, its slot is given back
     * and its end announced. Steps not started yet never start: every later look finds it ended.
     */
    public Cancel cancel(Workflow seen) {
        Workflow current = seen;
        for (int write = 0; write < WRITES; write++) {
            if (current.status().isTerminal()) {
                return new Cancel(current, false);
            }
            Workflow canceled = current.ended(WorkflowStatus.CANCELED, Optional.empty(), clock.instant());
            if (workflows.update(canceled)) {
                finish(canceled, states(canceled));
                return new Cancel(canceled, true);
            }
            current = workflows.find(seen.id()).orElseThrow();
        }
        throw new IllegalStateException("workflow " + seen.id() + " kept changing for " + WRITES + " cancel attempts");
    }

    /** One look at the workflow; false when a write lost to another writer and it must be read again. */
    private boolean step(Workflow workflow) {
        Map<String, Optional<Job>> states = states(workflow);
        if (workflow.status().isTerminal()) {
            // A step admitted while the workflow ended (a cancel racing an admission) is stopped; the slot is given back.
            cancelUnfinished(workflow, states);
            slots.release(workflow);
            return true;
        }
        Instant now = clock.instant();
        if (workflow.status() == WorkflowStatus.QUEUED) {
            if (workflow.isPastDeadline(now)) {
                return end(workflow, states, WorkflowStatus.FAILED, Optional.of(DEADLINE_EXCEEDED));
            }
            if (!slots.take(workflow, now)) {
                LOG.info("workflow {} waits for one of its tenant's workflow slots", workflow.id());
                queue.advance(workflow.id(), byDeadline(workflow, now, slots.retryDelay()));
                return true;
            }
            // Written or not, the workflow is read again: started, by this write or another.
            workflows.update(workflow.started(now));
            return false;
        }
        // Each look renews the slot's lease, so a long workflow keeps it while it runs.
        slots.take(workflow, now);
        Optional<WorkflowStep> broken = workflow.steps().stream().filter(s -> states.get(s.id())
                .filter(j -> j.status() == JobStatus.FAILED || j.status() == JobStatus.CANCELED).isPresent()).findFirst();
        if (broken.isPresent()) {
            Job job = states.get(broken.get().id()).orElseThrow();
            JobError cause = job.error().orElse(new JobError("step_" + job.status().wireName(),
                    "the step's job was " + job.status().wireName()));
            return end(workflow, states, WorkflowStatus.FAILED, Optional.of(new JobError(cause.code(),
                    "step '" + broken.get().id() + "' " + job.status().wireName() + ": " + cause.message())));
        }
        if (workflow.steps().stream().allMatch(s -> states.get(s.id()).filter(j -> j.status() == JobStatus.SUCCEEDED)
                .isPresent())) {
            return end(workflow, states, WorkflowStatus.SUCCEEDED, Optional.empty());
        }
        if (workflow.isPastDeadline(now)) {
            return end(workflow, states, WorkflowStatus.FAILED, Optional.of(DEADLINE_EXCEEDED));
        }
        List<WorkflowStep> ready = workflow.steps().stream()
                .filter(s -> states.get(s.id()).isEmpty())
                .filter(s -> Optional.ofNullable(workflow.claims().get(s.id()))
                        .map(at -> at.plus(CLAIM_LEASE).isBefore(now)).orElse(true))
                .filter(s -> s.dependencies().stream().allMatch(d -> states.get(d)
                        .filter(j -> j.status() == JobStatus.SUCCEEDED).isPresent()))
                .toList();
        if (ready.isEmpty()) {
            return true;
        }
        Workflow claimed = workflow.claimed(ready.stream().map(WorkflowStep::id).toList(), now);
        if (!workflows.update(claimed)) {
            return false;
        }
        for (WorkflowStep step : ready) {
            admit(claimed, step, states);
        }
        return true;
    }

    /** Admits a claimed step as its job; a refusal for now gives the claim back and tries again after the window. */
    private void admit(Workflow workflow, WorkflowStep step, Map<String, Optional<Job>> states) {
        Optional<GenerationRequest> resolvedRequest = resolved(step, states);
        if (resolvedRequest.isEmpty()) {
            fail(workflow, step, new JobError("step_input_missing", "a step it takes outputs from made fewer outputs"
                    + " than it names"));
            return;
        }
        GenerationRequest request = resolvedRequest.get();
        AdmissionResult result = admissions.admit(workflow.principal(plans), request, step.jobId(),
                Optional.of(new StepOf(workflow.id(), step.id(), workflow.createdAt())));
        if (result instanceof AdmissionResult.Accepted) {
            LOG.info("workflow {}: step {} admitted as {}", workflow.id(), step.id(), step.jobId());
            // A cancel may have ended the workflow meanwhile: the next look stops the job it no longer wants.
            workflows.find(workflow.id()).filter(w -> w.status().isTerminal())
                    .ifPresent(w -> queue.advance(w.id(), Duration.ZERO));
        } else if (result instanceof AdmissionResult.RateLimited limited) {
            waitFor(workflow, step, Duration.ofSeconds(limited.decision().refusedBy().secondsUntilReset(clock.instant())),
                    limited.decision().refusedBy().rule().id());
        } else if (result instanceof AdmissionResult.QueueFull full) {
            waitFor(workflow, step, full.retryAfter(), "queue depth");
        } else if (result instanceof AdmissionResult.Unfunded unfunded) {
            fail(workflow, step, new JobError("insufficient_credits", "the tenant's credits could not cover it ("
                    + unfunded.decision().required() + " needed, " + unfunded.decision().balance() + " available)"));
        } else if (result instanceof AdmissionResult.OverKeyBudget over) {
            fail(workflow, step, new JobError("key_budget_exceeded", "the key's daily budget of credits could not cover it ("
                    + over.required() + " needed)"));
        } else {
            // Stored failed, its queue unavailable: the next look finds the failed job and fails the workflow.
            queue.advance(workflow.id(), Duration.ZERO);
        }
    }

    private void waitFor(Workflow workflow, WorkflowStep step, Duration wait, String rule) {
        LOG.info("workflow {}: step {} waits {} s for the window of {}", workflow.id(), step.id(), wait.toSeconds(), rule);
        Workflow current = workflow;
        for (int write = 0; write < WRITES && current.claims().containsKey(step.id()) && !current.status().isTerminal();
                write++) {
            if (workflows.update(current.unclaimed(step.id()))) {
                break;
            }
            current = workflows.find(workflow.id()).orElseThrow();
        }
        queue.advance(workflow.id(), byDeadline(workflow, clock.instant(), wait));
    }

    /** {@code wait}, or less: the time until the workflow's deadline, when that comes first. */
    private static Duration byDeadline(Workflow workflow, Instant now, Duration wait) {
        return workflow.deadline().map(d -> Duration.between(now, d)).filter(left -> left.compareTo(wait) < 0)
                .map(left -> left.isNegative() ? Duration.ZERO : left).orElse(wait);
    }

    private void fail(Workflow workflow, WorkflowStep step, JobError why) {
        LOG.info("workflow {}: step {} was refused for good: {}", workflow.id(), step.id(), why.message());
        JobError error = new JobError(why.code(), "step '" + step.id() + "' could not be admitted: " + why.message());
        for (int write = 0; write < WRITES; write++) {
            Workflow current = workflows.find(workflow.id()).orElseThrow();
            if (current.status().isTerminal() || end(current, states(current), WorkflowStatus.FAILED, Optional.of(error))) {
                return;
            }
        }
    }

    /** Stores the end, stops what still runs, gives the slot back, then announces it. */
    private boolean end(Workflow workflow, Map<String, Optional<Job>> states, WorkflowStatus terminal,
            Optional<JobError> why) {
        Workflow ended = workflow.ended(terminal, why, clock.instant());
        if (!workflows.update(ended)) {
            return false;
        }
        LOG.info("workflow {} {}", ended.id(), terminal.wireName());
        finish(ended, states);
        return true;
    }

    /**
     * What follows a stored end, whoever stored it (this runner, or a cancel): the steps still running
     * are cancelled, the slot is given back, and only then is the end announced.
     */
    private void finish(Workflow ended, Map<String, Optional<Job>> states) {
        cancelUnfinished(ended, states);
        slots.release(ended);
        endings.ended(ended);
    }

    /** Each step still queued or running is stopped: ended at its deadline if that has passed, else cancelled. */
    private void cancelUnfinished(Workflow workflow, Map<String, Optional<Job>> states) {
        Instant now = clock.instant();
        states.values().stream().flatMap(Optional::stream).filter(j -> !j.status().isTerminal())
                .forEach(j -> {
                    if (j.isPastDeadline(now)) {
                        cancellation.expire(j);
                    } else {
                        cancellation.cancel(j);
                    }
                });
    }

    /** Each step's job, if it has been admitted. */
    public Map<String, Optional<Job>> states(Workflow workflow) {
        Map<String, Optional<Job>> states = new LinkedHashMap<>();
        workflow.steps().forEach(s -> states.put(s.id(), jobs.find(s.jobId())));
        return states;
    }

    /**
     * The step's request with each reference replaced by the stored output it names; empty when a step
     * it takes from succeeded with fewer stored outputs than the reference names.
     */
    static Optional<GenerationRequest> resolved(WorkflowStep step, Map<String, Optional<Job>> states) {
        GenerationRequest request = step.request();
        Optional<Optional<MediaSource>> image = resolve(request.image(), states);
        Optional<Optional<MediaSource>> mask = resolve(request.mask(), states);
        if (image.isEmpty() || mask.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(request.withInputs(image.get(), mask.get()));
    }

    private static Optional<Optional<MediaSource>> resolve(Optional<MediaSource> input, Map<String, Optional<Job>> states) {
        if (input.isEmpty() || !(input.get() instanceof MediaSource.StepOutput ref)) {
            return Optional.of(input);
        }
        Job done = states.get(ref.step()).filter(j -> j.status() == JobStatus.SUCCEEDED).orElseThrow(
                () -> new IllegalStateException("step " + ref.step() + " has not succeeded"));
        List<JobOutput> outputs = new ArrayList<>(done.outputs());
        if (ref.index() >= outputs.size() || !(outputs.get(ref.index()) instanceof StoredOutput stored)) {
            return Optional.empty();
        }
        return Optional.of(Optional.of(new MediaSource.Output(stored.key())));
    }
}
