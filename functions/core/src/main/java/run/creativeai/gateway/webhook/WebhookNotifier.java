package run.creativeai.gateway.webhook;

import java.time.Duration;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobStarts;
import run.creativeai.gateway.job.WebhookEventKind;

/**
 * Queues the first delivery attempt of a job's event, at once, when the job's webhook subscribed to
 * it: its start ({@code generation.started}) when a provider accepted it, its end when it ended.
 */
public final class WebhookNotifier implements JobEndings, JobStarts {
    private final WebhookQueue queue;

    public WebhookNotifier(WebhookQueue queue) {
        this.queue = queue;
    }

    @Override
    public void started(Job job) {
        announce(job, WebhookEventKind.START);
    }

    @Override
    public void ended(Job job) {
        announce(job, WebhookEventKind.COMPLETED);
    }

    private void announce(Job job, WebhookEventKind event) {
        if (job.request().webhookUrl().isPresent() && job.request().webhookEvents().contains(event)) {
            queue.enqueue(new WebhookTask(job.id(), event, 1), Duration.ZERO);
        }
    }
}
