package run.creativeai.gateway.webhook;

import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.tenant.TenantId;

/** What a webhook delivery is about: the ending of a job, or a notice sent to one status subscription. */
public sealed interface WebhookSubject permits WebhookSubject.JobEnding, WebhookSubject.Notice {

    /** For logs: what the event is about, without its data. */
    String describe();

    /** A job's terminal event, to the job's {@code webhook_url}. */
    record JobEnding(JobId job) implements WebhookSubject {
        @Override
        public String describe() {
            return "job " + job;
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
