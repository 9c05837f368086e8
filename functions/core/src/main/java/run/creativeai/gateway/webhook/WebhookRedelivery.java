package run.creativeai.gateway.webhook;

import java.time.Duration;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;

/**
 * Re-sends a job's terminal event when the customer asks, for receivers that were down longer than
 * the schedule: the same event, same event id, same bytes, signed anew. Allowed for an ended job
 * with a webhook URL subscribed to endings whose event has not been delivered; an event delivered once (a 2xx) is never
 * sent again, so the request is refused and the result stays in the status API. So is a URL the
 * {@link WebhookUrlPolicy} refuses today. Redeliveries are bounded per job so a job's recorded
 * attempts stay small.
 */
public final class WebhookRedelivery {
    /** Requested redeliveries a job may have on top of its scheduled attempts. */
    public static final int MAX_REQUESTED = 5;

    private final WebhookQueue queue;
    private final WebhookSchedule schedule;
    private final WebhookUrlPolicy urls;

    public WebhookRedelivery(WebhookQueue queue, WebhookSchedule schedule, WebhookUrlPolicy urls) {
        this.queue = queue;
        this.schedule = schedule;
        this.urls = urls;
    }

    /** What became of a redelivery request. */
    public sealed interface Result permits Queued, Refused {
    }

    /** The event was queued for an immediate attempt. */
    public record Queued(String eventId) implements Result {
    }

    /** The job's state does not allow a redelivery; {@code code} and {@code message} say why. */
    public record Refused(String code, String message) implements Result {
    }

    public Result request(Job job) {
        String id = job.id().value();
        if (job.request().webhookUrl().isEmpty()) {
            return new Refused("no_webhook_url", "generation " + id + " was created without a webhook_url; "
                    + "read its result from GET /v1/generations/" + id);
        }
        if (!job.request().webhookEvents().contains(WebhookEventKind.COMPLETED)) {
            return new Refused("event_not_subscribed", "the webhook of generation " + id + " was created with a "
                    + "webhook_events_filter without \"completed\", so its ending is never sent; read its result from "
                    + "GET /v1/generations/" + id);
        }
        if (!job.status().isTerminal()) {
            return new Refused("generation_not_ended", "generation " + id + " is " + job.status().wireName()
                    + "; its webhook is sent when it ends");
        }
        // The URL is checked as a new request's would be: one stored before a rule existed, or whose
        // name now points inside, could never be delivered.
        Optional<String> unreachable = urls.problem(job.request().webhookUrl().get());
        if (unreachable.isPresent()) {
            return new Refused("invalid_webhook_url", "the webhook_url of generation " + id + " "
                    + unreachable.get() + ", so it cannot be delivered; read the result from GET /v1/generations/" + id);
        }
        String eventId = EventId.of(job.id(), job.status());
        Optional<WebhookAttempt> delivered = job.webhookAttempts().stream()
                .filter(a -> a.eventId().equals(eventId) && a.delivered()).findFirst();
        if (delivered.isPresent()) {
            return new Refused("already_delivered", "event " + eventId + " of generation " + id + " was delivered at "
                    + delivered.get().at() + " (HTTP " + delivered.get().statusCode().orElse(0)
                    + ") and is never delivered twice; read the result from GET /v1/generations/" + id);
        }
        long requested = job.webhookAttempts().stream().filter(a -> a.number() > schedule.attempts()).count();
        if (requested >= MAX_REQUESTED) {
            return new Refused("redelivery_limit", "generation " + id + " has had " + MAX_REQUESTED
                    + " requested redeliveries, the most a generation can have; read its result from "
                    + "GET /v1/generations/" + id);
        }
        queue.enqueue(WebhookTask.requested(job.id()), Duration.ZERO);
        return new Queued(eventId);
    }
}
