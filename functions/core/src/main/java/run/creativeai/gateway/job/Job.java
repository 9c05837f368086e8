package run.creativeai.gateway.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * A generation job. Immutable: every change is a method that checks the move against
 * {@link JobStatus} and returns the next version, which the store writes only over the version it
 * was derived from. That is what keeps concurrent dispatchers and redelivered messages from
 * clobbering each other.
 *
 * @param plan    the name of the plan the job was admitted under: its concurrency limits apply when it starts
 * @param model   the resolved model the failover chain starts from ({@code request.model()} may be {@code auto})
 * @param version incremented by every change; the store's optimistic lock
 * @param cost    what the job may cost, priced at admission ({@link JobCost})
 * @param terms   the tenant's own terms it was admitted under: custom limits and dedicated slots
 * @param step    the workflow step the job runs, for a job a workflow started
 */
public record Job(
        JobId id,
        TenantId tenantId,
        KeyId keyId,
        Tier tier,
        String plan,
        GenerationRequest request,
        String model,
        JobStatus status,
        List<ProviderAttempt> attempts,
        List<JobOutput> outputs,
        Optional<JobError> error,
        JobTimings timings,
        List<WebhookAttempt> webhookAttempts,
        long version,
        JobCost cost,
        TenantTerms terms,
        Optional<StepOf> step) {

    /** Why a job whose deadline passed before any provider got it ended. */
    public static final JobError DEADLINE_BEFORE_START = new JobError("deadline_exceeded",
            "the job did not start before its Cancel-After deadline");
    /** Why a job whose deadline passed while a provider worked on it ended. */
    public static final JobError DEADLINE_WHILE_RUNNING = new JobError("deadline_exceeded",
            "the job did not finish before its Cancel-After deadline");

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(step, "step");
        attempts = List.copyOf(attempts);
        outputs = List.copyOf(outputs);
        webhookAttempts = List.copyOf(webhookAttempts);
    }

    /** A job of no workflow. */
    public Job(JobId id, TenantId tenantId, KeyId keyId, Tier tier, String plan, GenerationRequest request, String model,
            JobStatus status, List<ProviderAttempt> attempts, List<JobOutput> outputs, Optional<JobError> error,
            JobTimings timings, List<WebhookAttempt> webhookAttempts, long version, JobCost cost, TenantTerms terms) {
        this(id, tenantId, keyId, tier, plan, request, model, status, attempts, outputs, error, timings, webhookAttempts,
                version, cost, terms, Optional.empty());
    }

    /**
     * A job just admitted: queued, never tried, version 1, at the price and under the terms admission
     * gave it. Its input images are uploads by now (a URL was copied before admission), or a workflow's
     * earlier step's stored outputs, so providers are only ever given the gateway's own URLs.
     */
    public static Job admitted(JobId id, TenantId tenant, KeyId key, Tier tier, String plan,
            GenerationRequest request, String resolvedModel, Instant at, JobCost cost, TenantTerms terms,
            Optional<StepOf> step) {
        if (java.util.stream.Stream.of(request.image(), request.mask()).flatMap(Optional::stream)
                .anyMatch(source -> !source.isGatewayOwned())) {
            throw new IllegalArgumentException("a job is admitted only once its input images are the gateway's own");
        }
        return new Job(id, tenant, key, tier, plan, request, resolvedModel, JobStatus.QUEUED, List.of(), List.of(),
                Optional.empty(), new JobTimings(at, Optional.empty(), Optional.empty()), List.of(), 1, cost, terms, step);
    }

    /** A job just admitted on its own, not for a workflow. */
    public static Job admitted(JobId id, TenantId tenant, KeyId key, Tier tier, String plan,
            GenerationRequest request, String resolvedModel, Instant at, JobCost cost, TenantTerms terms) {
        return admitted(id, tenant, key, tier, plan, request, resolvedModel, at, cost, terms, Optional.empty());
    }

    /** A job just admitted that costs nothing, under its plan's own terms. */
    public static Job admitted(JobId id, TenantId tenant, KeyId key, Tier tier, String plan,
            GenerationRequest request, String resolvedModel, Instant at) {
        return admitted(id, tenant, key, tier, plan, request, resolvedModel, at, JobCost.free(), TenantTerms.none());
    }

    /**
     * How the job's reservation is settled, once it has ended: a success is charged the price of the
     * link that served it; a job cancelled while a provider was working on it (the provider had
     * accepted the attempt) is charged that link's price, since the provider bills work it started;
     * a failure, an abort (its deadline passed before it started), and a cancel before any provider
     * accepted the job, cost nothing. Empty while the job
     * runs.
     */
    public Optional<Charge> charge() {
        if (!status.isTerminal()) {
            return Optional.empty();
        }
        long reserved = cost.reserved();
        long charged = switch (status) {
            case SUCCEEDED -> modelActual().map(cost::priceOn).orElse(0L);
            case CANCELED -> currentAttempt()
                    .filter(a -> a.outcome() == AttemptOutcome.CANCELED && a.providerJobId().isPresent())
                    .map(a -> cost.priceOn(a.model())).orElse(0L);
            default -> 0L;
        };
        return Optional.of(new Charge(reserved, Math.min(charged, reserved)));
    }

    /** The model that produced the outputs, once the job succeeded. */
    public Optional<String> modelActual() {
        if (status != JobStatus.SUCCEEDED) {
            return Optional.empty();
        }
        return currentAttempt().map(ProviderAttempt::model);
    }

    /** True when a link other than the first of the chain served the job. */
    public boolean failoverUsed() {
        return modelActual().map(actual -> !actual.equals(model)).orElse(false);
    }

    public Optional<ProviderAttempt> currentAttempt() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    /**
     * The attempt whose provider first accepted the job: when the job started, in the sense its
     * {@code start} webhook event announces. A failover's later acceptance is no new start.
     */
    public Optional<ProviderAttempt> acceptedAttempt() {
        return attempts.stream().filter(a -> a.providerJobId().isPresent()).findFirst();
    }

    /** Time the successful provider spent, from its submission to its result. */
    public Optional<Duration> inferenceTime() {
        return currentAttempt()
                .filter(a -> a.outcome() == AttemptOutcome.SUCCEEDED)
                .flatMap(a -> a.endedAt().map(end -> Duration.between(a.startedAt(), end)));
    }

    /** Time the gateway spent copying the successful provider's outputs into its bucket, once the job succeeded. */
    public Optional<Duration> copyTime() {
        return currentAttempt()
                .filter(a -> a.outcome() == AttemptOutcome.SUCCEEDED)
                .flatMap(a -> a.endedAt().flatMap(end -> timings.finishedAt().map(done -> Duration.between(end, done))));
    }

    /** The round of the chain the job is in: 1, or 2 once the chain timed out and is walked again. */
    public int round() {
        return currentAttempt().map(ProviderAttempt::round).orElse(1);
    }

    /**
     * True for a running job whose last link ended without a result and whose next link has not
     * started yet: it is between links, for instance waiting in its queue for a provider slot.
     */
    public boolean isBetweenLinks() {
        return status == JobStatus.RUNNING && currentAttempt().filter(ProviderAttempt::isOpen).isEmpty();
    }

    /** Hands the job to the next link, in the current round: from QUEUED, or from RUNNING between links. */
    public Job beginAttempt(String linkModel, String provider, Instant at) {
        return beginAttempt(linkModel, provider, round(), at);
    }

    /** Hands the job to a link in the given round (a new round starts again from the first link). */
    public Job beginAttempt(String linkModel, String provider, int round, Instant at) {
        return beginAttempt(linkModel, provider, round, List.of(), at);
    }

    /**
     * Hands the job to a link in the given round after the links passed over on the way to it, all
     * in one version: the skipped links and the new attempt are written together or not at all.
     */
    public Job beginAttempt(String linkModel, String provider, int round, List<SkippedLink> passedOver, Instant at) {
        requireNextLink("begin an attempt");
        List<ProviderAttempt> next = new ArrayList<>(attempts);
        for (SkippedLink skipped : passedOver) {
            next.add(ProviderAttempt.skipped(next.size() + 1, round, skipped.model(), skipped.provider(), at,
                    skipped.why()));
        }
        next.add(ProviderAttempt.begin(next.size() + 1, round, linkModel, provider, at));
        return with(JobStatus.RUNNING, next, outputs, error, timings.started(at), webhookAttempts);
    }

    /**
     * Records a link passed over without calling its provider (no free slot for the job's tier), so
     * the job shows why it was served by a later link. The status does not change: a queued job has
     * not started until a provider gets it.
     */
    public Job linkSkipped(String linkModel, String provider, int round, String why, Instant at) {
        requireNextLink("skip a link");
        List<ProviderAttempt> next = new ArrayList<>(attempts);
        next.add(ProviderAttempt.skipped(attempts.size() + 1, round, linkModel, provider, at, why));
        return with(status, next, outputs, error, timings, webhookAttempts);
    }

    private void requireNextLink(String action) {
        if (status != JobStatus.QUEUED && status != JobStatus.RUNNING) {
            throw illegal(action);
        }
        if (currentAttempt().filter(ProviderAttempt::isOpen).isPresent()) {
            throw illegal(action + " while an attempt is open");
        }
    }

    /** The provider accepted the open attempt and gave it this id. */
    public Job attemptSubmitted(String providerJobId) {
        return replaceOpenAttempt(openAttempt("record a submission").submitted(providerJobId));
    }

    /** The open attempt ended without a result; the job stays RUNNING for the next link or a terminal move. */
    public Job attemptEnded(AttemptOutcome outcome, String detail, Instant at) {
        if (outcome == AttemptOutcome.RUNNING || outcome == AttemptOutcome.SUCCEEDED) {
            throw new IllegalArgumentException("use succeed() for a result; an ended attempt is not running");
        }
        return replaceOpenAttempt(openAttempt("end an attempt").end(outcome, at, Optional.of(detail)));
    }

    public Job succeed(List<? extends JobOutput> results, Instant at) {
        return succeed(results, at, at);
    }

    /**
     * The open attempt's provider finished at {@code providerDoneAt} with these results, which the
     * gateway had stored by {@code at}: the attempt ends when the provider did, the job when its
     * outputs were safe.
     */
    public Job succeed(List<? extends JobOutput> results, Instant providerDoneAt, Instant at) {
        ProviderAttempt done = openAttempt("succeed").end(AttemptOutcome.SUCCEEDED, providerDoneAt, Optional.empty());
        return move(JobStatus.SUCCEEDED, "succeed")
                .with(JobStatus.SUCCEEDED, replaced(done), List.copyOf(results), Optional.empty(), timings.finished(at),
                        webhookAttempts);
    }

    public Job fail(JobError why, Instant at) {
        List<ProviderAttempt> closed = currentAttempt().filter(ProviderAttempt::isOpen)
                .map(open -> replaced(open.end(AttemptOutcome.UNAVAILABLE, at, Optional.of(why.message()))))
                .orElse(attempts);
        return move(JobStatus.FAILED, "fail")
                .with(JobStatus.FAILED, closed, List.of(), Optional.of(why), timings.finished(at), webhookAttempts);
    }

    public Job cancel(Instant at) {
        return cancel(at, "canceled by the customer", Optional.empty());
    }

    /**
     * When the job's {@code Cancel-After} deadline passes: the moment it was admitted plus the
     * duration asked for; for a workflow's step, its workflow's deadline (the workflow's creation plus
     * the duration), however late the step was admitted. Empty for a job without a deadline.
     */
    public Optional<Instant> deadline() {
        Instant from = step.map(StepOf::workflowCreatedAt).orElse(timings.createdAt());
        return request.cancelAfter().map(from::plus);
    }

    /** True once the job's deadline has passed (at {@code now} exactly, too). */
    public boolean isPastDeadline(Instant now) {
        return deadline().filter(d -> !now.isBefore(d)).isPresent();
    }

    /**
     * Ends a job whose deadline passed (Replicate's {@code Cancel-After}): a queued job, which no
     * provider has, is {@link JobStatus#ABORTED}; a running one is {@link JobStatus#CANCELED}, its
     * open attempt closed as cancelled so that the provider is told and the work it started is
     * charged like any cancel ({@link #charge()}).
     */
    public Job expire(Instant at) {
        if (!isPastDeadline(at)) {
            throw illegal("end before its deadline");
        }
        if (status == JobStatus.QUEUED) {
            return move(JobStatus.ABORTED, "abort").with(JobStatus.ABORTED, attempts, List.of(),
                    Optional.of(DEADLINE_BEFORE_START), timings.finished(at), webhookAttempts);
        }
        return cancel(at, "canceled at its deadline", Optional.of(DEADLINE_WHILE_RUNNING));
    }

    private Job cancel(Instant at, String detail, Optional<JobError> why) {
        List<ProviderAttempt> closed = currentAttempt().filter(ProviderAttempt::isOpen)
                .map(open -> replaced(open.end(AttemptOutcome.CANCELED, at, Optional.of(detail))))
                .orElse(attempts);
        return move(JobStatus.CANCELED, "cancel")
                .with(JobStatus.CANCELED, closed, List.of(), why, timings.finished(at), webhookAttempts);
    }

    public Job webhookAttempted(WebhookAttempt attempt) {
        List<WebhookAttempt> next = new ArrayList<>(webhookAttempts);
        next.add(attempt);
        return with(status, attempts, outputs, error, timings, next);
    }

    /**
     * True when {@code other} is this job in the same state: it differs at most by the webhook
     * attempts recorded on it since, bookkeeping that no transition reads, and by the version those
     * records took. A transition derived from one applies unchanged to the other.
     */
    public boolean sameStateAs(Job other) {
        return id.equals(other.id) && equals(new Job(other.id, other.tenantId, other.keyId, other.tier, other.plan,
                other.request, other.model, other.status, other.attempts, other.outputs, other.error, other.timings,
                webhookAttempts, version, other.cost, other.terms, other.step));
    }

    private Job move(JobStatus next, String action) {
        if (!status.canBecome(next)) {
            throw illegal(action);
        }
        return this;
    }

    private ProviderAttempt openAttempt(String action) {
        return currentAttempt().filter(ProviderAttempt::isOpen).orElseThrow(() -> illegal(action + " without an open attempt"));
    }

    private Job replaceOpenAttempt(ProviderAttempt updated) {
        return with(status, replaced(updated), outputs, error, timings, webhookAttempts);
    }

    private List<ProviderAttempt> replaced(ProviderAttempt last) {
        List<ProviderAttempt> next = new ArrayList<>(attempts);
        next.set(next.size() - 1, last);
        return next;
    }

    private Job with(JobStatus s, List<ProviderAttempt> a, List<JobOutput> o, Optional<JobError> e, JobTimings t,
            List<WebhookAttempt> w) {
        return new Job(id, tenantId, keyId, tier, plan, request, model, s, a, o, e, t, w, version + 1, cost, terms, step);
    }

    private IllegalStateException illegal(String action) {
        return new IllegalStateException("job " + id + " is " + status.wireName() + ": cannot " + action);
    }
}
