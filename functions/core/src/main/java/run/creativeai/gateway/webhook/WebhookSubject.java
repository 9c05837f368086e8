package run.creativeai.gateway.webhook;

import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.WorkflowId;
import run.creativeai.gateway.tenant.TenantId;

/**
 * What a webhook delivery is about: one of a job's events, a workflow's end, or a notice sent to one
 * status subscription.
 */
public sealed interface WebhookSubject permits WebhookSubject.JobEvent, WebhookSubject.Notice, WebhookSubject.WorkflowEvent {

    /** For logs: what the event is about, without its data. */
    String describe();

    /** A job's event (its start, or its end), to the job's {@code webhook_url}. */
    record JobEvent(JobId job, WebhookEventKind event) implements WebhookSubject {
        /** The job's terminal event. */
        public static JobEvent ending(JobId job) {
            return new JobEvent(job, WebhookEventKind.COMPLETED);
        }

        @Override
        public String describe() {
            return "job " + job + " (" + event.wireName() + ")";
        }
    }

    /** A notice event, to the URL of the tenant's subscription {@code subscriptionId}. */
    record Notice(TenantId tenant, String subscriptionId, NoticeEvent event) implements WebhookSubject {
        @Override
        public String describe() {
            return "notice " + event.id() + " (" + event.type() + ") to subscription " + subscriptionId;
        }
    }

    /** A workflow's end ({@code workflow.completed}, {@code .failed} or {@code .canceled}), to the workflow's {@code webhook_url}. */
    record WorkflowEvent(WorkflowId workflow) implements WebhookSubject {
        @Override
        public String describe() {
            return "workflow " + workflow + " (ending)";
        }
    }
}
