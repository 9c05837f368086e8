package run.creativeai.gateway.webhook;

import java.time.Clock;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;

/** Schedules the first delivery attempt of a job that ended and has a webhook URL. */
public final class WebhookNotifier implements JobEndings {
    private final WebhookQueue queue;
    private final WebhookSchedule schedule;
    private final Clock clock;

    public WebhookNotifier(WebhookQueue queue, WebhookSchedule schedule, Clock clock) {
        this.queue = queue;
        this.schedule = schedule;
        this.clock = clock;
    }

    @Override
    public void ended(Job job) {
        if (job.request().webhookUrl().isEmpty()) {
            return;
        }
        queue.enqueue(new WebhookTask(job.id(), 1),
                schedule.delayBefore(1, job.timings().finishedAt().orElseThrow(), clock.instant()));
    }
}
