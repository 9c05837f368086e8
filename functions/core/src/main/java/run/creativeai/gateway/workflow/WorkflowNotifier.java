package run.creativeai.gateway.workflow;

import java.time.Duration;
import run.creativeai.gateway.webhook.WebhookQueue;
import run.creativeai.gateway.webhook.WebhookSubject;
import run.creativeai.gateway.webhook.WebhookTask;

/** Queues the first delivery attempt of a workflow's end, when its webhook hears it. */
public final class WorkflowNotifier implements WorkflowEndings {
    private final WebhookQueue queue;

    public WorkflowNotifier(WebhookQueue queue) {
        this.queue = queue;
    }

    @Override
    public void ended(Workflow workflow) {
        if (workflow.status().isTerminal() && workflow.endingHeard()) {
            queue.enqueue(new WebhookTask(new WebhookSubject.WorkflowEvent(workflow.id()), 1, false), Duration.ZERO);
        }
    }
}
