package run.creativeai.gateway.workflow;

import java.time.Duration;
import java.time.Instant;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.plan.WorkKind;

/**
 * A tenant's workflow slots as {@link TenantConcurrency} keeps them: the workflows class of its plan
 * (seed 002's 5 at once), held under the workflow's id, so taking again renews the lease instead of
 * taking a second slot.
 */
public final class TenantWorkflowSlots implements WorkflowSlots {
    private final TenantConcurrency concurrency;

    public TenantWorkflowSlots(TenantConcurrency concurrency) {
        this.concurrency = concurrency;
    }

    @Override
    public boolean take(Workflow workflow, Instant now) {
        return concurrency.tryStart(work(workflow), now) instanceof SlotGrant.Granted;
    }

    @Override
    public void release(Workflow workflow) {
        concurrency.release(work(workflow));
    }

    @Override
    public Duration retryDelay() {
        return concurrency.retryDelay(WorkKind.WORKFLOW);
    }

    private static TenantConcurrency.Work work(Workflow workflow) {
        return new TenantConcurrency.Work(WorkKind.WORKFLOW, workflow.id().value(), workflow.tenantId(), workflow.plan(),
                workflow.terms());
    }
}
