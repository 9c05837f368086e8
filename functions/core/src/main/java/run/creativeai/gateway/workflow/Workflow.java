package run.creativeai.gateway.workflow;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;

/**
 * A customer's workflow: its steps, and how far it has come. Immutable and versioned like a job: every
 * change returns the next version, which the store writes only over the one it came from, so two
 * functions moving the same workflow never both start a step. The steps' own progress lives in their
 * jobs; the workflow records only which steps are being admitted ({@code claims}), so that a repeated
 * message does not admit one twice.
 *
 * @param plan             the plan its steps are admitted under, with the tenant's {@code terms}
 * @param maxCreditsPerDay the daily budget of the key that made it, which its steps count against
 * @param claims           the steps being admitted now, with when the claim was made
 */
public record Workflow(
        WorkflowId id,
        TenantId tenantId,
        KeyId keyId,
        String plan,
        TenantTerms terms,
        Optional<Long> maxCreditsPerDay,
        List<WorkflowStep> steps,
        WorkflowStatus status,
        Optional<URI> webhookUrl,
        Set<WebhookEventKind> webhookEvents,
        Optional<String> metadataJson,
        Map<String, Instant> claims,
        Optional<JobError> error,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        List<WebhookAttempt> webhookAttempts,
        long version) {

    public Workflow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(terms, "terms");
        Objects.requireNonNull(maxCreditsPerDay, "maxCreditsPerDay");
        steps = List.copyOf(steps);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
        webhookEvents = WebhookEventKind.filter(webhookEvents);
        Objects.requireNonNull(metadataJson, "metadataJson");
        claims = Map.copyOf(claims);
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        webhookAttempts = List.copyOf(webhookAttempts);
    }

    /** A workflow just made by {@code principal}: queued, no step claimed, version 1. */
    public static Workflow created(WorkflowId id, Principal principal, List<WorkflowStep> steps, Optional<URI> webhookUrl,
            Set<WebhookEventKind> webhookEvents, Optional<String> metadataJson, Instant at) {
        return new Workflow(id, principal.tenantId(), principal.keyId(), principal.plan().name(), principal.terms(),
                principal.maxCreditsPerDay(), steps, WorkflowStatus.QUEUED, webhookUrl, webhookEvents, metadataJson,
                Map.of(), Optional.empty(), at, Optional.empty(), Optional.empty(), List.of(), 1);
    }

    /** The create's {@code Cancel-After}, which every step's request carries. */
    public Optional<Duration> cancelAfter() {
        return steps.get(0).request().cancelAfter();
    }

    /**
     * When the create's {@code Cancel-After} passes, measured from the create: the workflow must have
     * ended by then, and every step's job carries this deadline, however late it was admitted. Empty
     * without one.
     */
    public Optional<Instant> deadline() {
        return cancelAfter().map(createdAt::plus);
    }

    /** True once the workflow's deadline has passed (at {@code now} exactly, too). */
    public boolean isPastDeadline(Instant now) {
        return deadline().filter(d -> !now.isBefore(d)).isPresent();
    }

    /** The caller its steps are admitted as: the key that made it, on the plan and terms it was made under. */
    public Principal principal(PlanCatalog plans) {
        return new Principal(tenantId, keyId, plans.planFor(plan, tenantId, terms).orElseThrow(
                () -> new IllegalStateException("workflow " + id + " is on unknown plan " + plan)),
                TenantStanding.ACTIVE, terms, maxCreditsPerDay);
    }

    public Optional<WorkflowStep> step(String stepId) {
        return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
    }

    /** True when the workflow's webhook hears its end: it has one, subscribed to {@code completed}. */
    public boolean endingHeard() {
        return webhookUrl.isPresent() && webhookEvents.contains(WebhookEventKind.COMPLETED);
    }

    /** It holds one of its tenant's workflow slots from now on. */
    public Workflow started(Instant at) {
        requireStatus(WorkflowStatus.QUEUED, "start");
        return with(WorkflowStatus.RUNNING, claims, error, Optional.of(at), finishedAt, webhookAttempts);
    }

    /** These steps are being admitted, from {@code at}: no other function admits them meanwhile. */
    public Workflow claimed(List<String> stepIds, Instant at) {
        requireStatus(WorkflowStatus.RUNNING, "admit a step");
        Map<String, Instant> next = new LinkedHashMap<>(claims);
        stepIds.forEach(s -> next.put(s, at));
        return with(status, next, error, startedAt, finishedAt, webhookAttempts);
    }

    /** The step's admission was refused for now (a limit's window): it may be claimed again. */
    public Workflow unclaimed(String stepId) {
        Map<String, Instant> next = new LinkedHashMap<>(claims);
        next.remove(stepId);
        return with(status, next, error, startedAt, finishedAt, webhookAttempts);
    }

    /** Ended, however: {@code why} says what failed, for a failed workflow. */
    public Workflow ended(WorkflowStatus terminal, Optional<JobError> why, Instant at) {
        if (!terminal.isTerminal() || status.isTerminal()) {
            throw new IllegalStateException("workflow " + id + " is " + status.wireName() + ": cannot become "
                    + terminal.wireName());
        }
        return with(terminal, Map.of(), why, startedAt, Optional.of(at), webhookAttempts);
    }

    public Workflow webhookAttempted(WebhookAttempt attempt) {
        List<WebhookAttempt> next = new ArrayList<>(webhookAttempts);
        next.add(attempt);
        return with(status, claims, error, startedAt, finishedAt, next);
    }

    private void requireStatus(WorkflowStatus expected, String action) {
        if (status != expected) {
            throw new IllegalStateException("workflow " + id + " is " + status.wireName() + ": cannot " + action);
        }
    }

    private Workflow with(WorkflowStatus s, Map<String, Instant> c, Optional<JobError> e, Optional<Instant> started,
            Optional<Instant> finished, List<WebhookAttempt> w) {
        return new Workflow(id, tenantId, keyId, plan, terms, maxCreditsPerDay, steps, s, webhookUrl, webhookEvents,
                metadataJson, c, e, createdAt, started, finished, w, version + 1);
    }
}
