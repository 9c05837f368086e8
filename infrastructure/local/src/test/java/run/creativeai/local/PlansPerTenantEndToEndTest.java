package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.tenant.TenantId;

/**
 * A tenant's own terms at dispatch, end to end, on a local cloud of its own whose numbers are small
 * enough to reach: vidu has 2 gateway slots, and the standard tier runs 1 video at once. Slots
 * reserved for a tenant serve its job while another tenant's job waits for the provider; the
 * standard tier's cap holds a second standard video back while enterprise work runs; a custom
 * concurrency limit set at run time holds back the tenant's next video.
 */
class PlansPerTenantEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB = Duration.ofSeconds(90);
    /**
     * Longer than any test waits: a running video runs until the test cancels it, so what waits for
     * it waits whatever the machine's speed.
     */
    private static final long VIDEO_MILLIS = 600_000;
    private static LocalCloud cloud;
    private static Api api;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.start(new LocalCloud.Options(LocalCloudExtension.projectRoot().resolve("template.yaml"), 0,
                Optional.empty(), Map.of("ProviderCapacity", "{\"vidu\":2}", "StandardTierVideoJobs", "1",
                        "TierCapShards", "1")));
        api = new Api(cloud);
        for (String provider : new String[] {"vidu", "kling"}) {
            assertThat(cloud.services().providers().configure(provider, JSON.createObjectNode()
                    .put("latency_ms", VIDEO_MILLIS))).isPresent();
        }
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static String video(String key, String model) {
        Api.Response created = api.post("/v1/video/generations", key, "{\"model\":\"" + model
                + "\",\"prompt\":\"waves\",\"duration\":5}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return created.json().path("id").asText();
    }

    private static JsonNode job(String id, String key) {
        return api.get("/v1/generations/" + id, key).json();
    }

    private static JsonNode awaitStatus(String id, String key, String status) {
        return api.awaitJob(id, key, j -> j.path("status").asText().equals(status), JOB);
    }

    private static Instant at(JsonNode job, String field) {
        return Instant.parse(job.path(field).asText());
    }

    /** Messages waiting out a delay in one of the template's queues: jobs sent back to wait for a slot. */
    private static long delayedIn(String queueVariable) {
        String url = cloud.runtime().function("DispatcherFunction").environment().get(queueVariable);
        return Long.parseLong(cloud.runtime().sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName
                        .APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    /** Cancels a running job; the slots it held are given back at once (its provider's once stopped there). */
    private static JsonNode cancel(String id, String key) {
        Api.Response canceled = api.delete("/v1/generations/" + id, key);
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        return canceled.json();
    }

    @Test
    void slotsReservedForATenantServeItsJobWhileAnotherTenantsJobWaitsForTheProvider() {
        String reserved = cloud.issueKey("plans-reserved", "enterprise").value();
        String other = cloud.issueKey("plans-other", "enterprise").value();
        cloud.accounts().reserve(new TenantId("plans-reserved"), "vidu", 1, "test");
        try {
            String first = video(other, "vidu");
            awaitStatus(first, other, "running");
            String second = video(other, "vidu");
            await("the other tenant's second job is sent back to wait for a slot").atMost(JOB)
                    .pollInterval(Duration.ofMillis(100)).until(() -> delayedIn("ENTERPRISE_QUEUE_URL") > 0);
            String own = video(reserved, "vidu");
            awaitStatus(own, reserved, "running");
            assertThat(job(second, other).path("status").asText())
                    .as("the other tenant's second job waits: vidu's other slot is set aside, idle or not")
                    .isEqualTo("queued");
            JsonNode firstEnded = cancel(first, other);
            JsonNode secondRunning = awaitStatus(second, other, "running");
            assertThat(at(secondRunning, "started_at")).as("it started once the other tenant's first ended")
                    .isAfterOrEqualTo(at(firstEnded, "finished_at").minusMillis(1));
            cancel(second, other);
            cancel(own, reserved);
        } finally {
            await("the reservation ends").atMost(JOB).ignoreExceptions()
                    .until(() -> cloud.accounts().reserve(new TenantId("plans-reserved"), "vidu", 0, "test")
                            .dedicatedSlots().isEmpty());
        }
    }

    @Test
    void theStandardTierRunsNoMoreVideosThanItsCapWhileEnterpriseWorkRuns() {
        String pro = cloud.issueKey("plans-cap-pro", "pro").value();
        String free = cloud.issueKey("plans-cap-free", "free").value();
        String enterprise = cloud.issueKey("plans-cap-big", "enterprise").value();
        String first = video(pro, "kling");
        awaitStatus(first, pro, "running");
        String held = video(free, "kling");
        await("the free tenant's video is sent back to wait under the cap").atMost(JOB)
                .pollInterval(Duration.ofMillis(100)).until(() -> delayedIn("FREE_QUEUE_URL") > 0);
        String big = video(enterprise, "kling");
        awaitStatus(big, enterprise, "running");
        assertThat(job(held, free).path("status").asText()).as("a second standard video, over the cap of 1")
                .isEqualTo("queued");
        JsonNode firstEnded = cancel(first, pro);
        JsonNode heldRunning = awaitStatus(held, free, "running");
        assertThat(at(heldRunning, "started_at")).isAfterOrEqualTo(at(firstEnded, "finished_at").minusMillis(1));
        cancel(held, free);
        cancel(big, enterprise);
    }

    @Test
    void aCustomConcurrencyLimitSetAtRunTimeHoldsTheTenantsNextVideoBack() {
        String key = cloud.issueKey("plans-custom", "enterprise").value();
        cloud.accounts().setLimit(new TenantId("plans-custom"), "concurrent_video_jobs", "1", "test");
        assertThat(api.get("/v1/quota", key).json().path("concurrent_video_jobs").path("limit").asLong())
                .as("shown like the plan's own").isEqualTo(1);
        String first = video(key, "kling");
        awaitStatus(first, key, "running");
        String second = video(key, "kling");
        await("the second video is sent back to its queue to wait for the tenant's slot").atMost(JOB)
                .pollInterval(Duration.ofMillis(100)).until(() -> delayedIn("ENTERPRISE_QUEUE_URL") > 0);
        assertThat(job(second, key).path("status").asText())
                .as("an enterprise plan has no video limit; its custom one of 1 holds the next one back")
                .isEqualTo("queued");
        JsonNode firstEnded = cancel(first, key);
        JsonNode secondRunning = awaitStatus(second, key, "running");
        assertThat(at(secondRunning, "started_at")).isAfterOrEqualTo(at(firstEnded, "finished_at").minusMillis(1));
        cancel(second, key);
    }
}
