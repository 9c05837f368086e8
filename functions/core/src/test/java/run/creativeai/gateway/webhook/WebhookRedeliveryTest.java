package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.testing.FixedResolver;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;

class WebhookRedeliveryTest {
    private static final URI HOOK = URI.create("https://hooks.example.com/creativeai");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final List<WebhookTask> queued = new ArrayList<>();
    private final WebhookRedelivery redelivery = new WebhookRedelivery((task, delay) -> {
        assertThat(delay).isZero();
        queued.add(task);
    }, WebhookSchedule.standard(), WebhookUrlPolicy.publicInternet(new FixedResolver()
            .answer("hooks.example.com", "93.184.215.14")));

    private Job ended(Optional<URI> hook) {
        return Jobs.queued(Jobs.image("sdxl", hook), "sdxl", clock.instant())
                .fail(new JobError("providers_unavailable", "none"), clock.instant());
    }

    private static Job attempted(Job job, int number, Optional<Integer> status) {
        return job.webhookAttempted(new WebhookAttempt(number, EventId.of(job.id(), job.status()),
                Instant.parse("2026-11-23T10:00:30Z"), status, status.isPresent() && status.get() < 300
                        ? Optional.empty() : Optional.of("HTTP 500"), 12));
    }

    @Test
    void anUndeliveredEventIsQueuedAtOnceWithItsOwnEventId() {
        Job job = attempted(attempted(attempted(ended(Optional.of(HOOK)), 1, Optional.of(500)), 2, Optional.of(500)),
                3, Optional.empty());
        WebhookRedelivery.Result result = redelivery.request(job);
        assertThat(result).isEqualTo(new WebhookRedelivery.Queued(EventId.of(job.id(), job.status())));
        assertThat(queued).containsExactly(WebhookTask.requested(job.id()));
    }

    @Test
    void aWebhookThatDidNotSubscribeToEndingsIsRefusedTheEnding() {
        var r = Jobs.image("sdxl", Optional.of(HOOK));
        Job job = Jobs.queued(new run.creativeai.gateway.job.GenerationRequest(r.kind(), r.model(), r.prompt(), r.n(),
                r.size(), r.durationSeconds(), r.operation(), r.image(), r.mask(), r.webhookUrl(), r.metadataJson(),
                java.util.Set.of(run.creativeai.gateway.job.WebhookEventKind.START)), "sdxl", clock.instant())
                .fail(new JobError("providers_unavailable", "none"), clock.instant());
        assertThat(redelivery.request(job)).isInstanceOfSatisfying(WebhookRedelivery.Refused.class,
                r2 -> assertThat(r2.code()).isEqualTo("event_not_subscribed"));
        assertThat(queued).isEmpty();
    }

    @Test
    void aDeliveredEventIsNeverQueuedAgain() {
        Job job = attempted(ended(Optional.of(HOOK)), 1, Optional.of(204));
        assertThat(redelivery.request(job)).isInstanceOfSatisfying(WebhookRedelivery.Refused.class,
                r -> assertThat(r.code()).isEqualTo("already_delivered"));
        assertThat(queued).isEmpty();
    }

    @Test
    void aJobThatHasNotEndedOrHasNoWebhookIsRefused() {
        Job running = Jobs.queued(Jobs.image("sdxl", Optional.of(HOOK)), "sdxl", clock.instant());
        assertThat(redelivery.request(running)).isInstanceOfSatisfying(WebhookRedelivery.Refused.class,
                r -> assertThat(r.code()).isEqualTo("generation_not_ended"));
        assertThat(redelivery.request(ended(Optional.empty()))).isInstanceOfSatisfying(WebhookRedelivery.Refused.class,
                r -> assertThat(r.code()).isEqualTo("no_webhook_url"));
        assertThat(queued).isEmpty();
    }

    @Test
    void aJobWhoseStoredUrlThePolicyRefusesIsRefusedNamingTheWebhookUrl() {
        for (String url : List.of("https://hooks.example.com:99999/x", "https://hooks.example.com:0/",
                "https://10.0.0.8/x")) {
            Job job = ended(Optional.of(URI.create(url)));
            assertThat(redelivery.request(job)).as(url).isInstanceOfSatisfying(WebhookRedelivery.Refused.class, r -> {
                assertThat(r.code()).isEqualTo("invalid_webhook_url");
                assertThat(r.message()).contains("webhook_url");
            });
        }
        assertThat(queued).isEmpty();
    }

    @Test
    void redeliveriesAreBoundedPerJob() {
        Job job = ended(Optional.of(HOOK));
        for (int n = 1; n <= 3 + WebhookRedelivery.MAX_REQUESTED; n++) {
            job = attempted(job, n, Optional.of(500));
        }
        assertThat(redelivery.request(job)).isInstanceOfSatisfying(WebhookRedelivery.Refused.class,
                r -> assertThat(r.code()).isEqualTo("redelivery_limit"));
        clock.advance(Duration.ofDays(1));
        assertThat(queued).isEmpty();
    }
}
