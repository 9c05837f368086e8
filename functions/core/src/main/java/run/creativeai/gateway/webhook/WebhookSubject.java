package run.creativeai.gateway.webhook;

import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.tenant.TenantId;

/** What a webhook delivery is about: one of a job's events, or a notice sent to one status subscription. */
public sealed interface WebhookSubject permits WebhookSubject.JobEvent, WebhookSubject.Notice {

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
}
