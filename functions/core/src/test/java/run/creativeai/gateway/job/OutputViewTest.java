package run.creativeai.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.TestOutputLinks;

/** What a customer reads about a job's outputs: where to download them, until when, and what they are. */
class OutputViewTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:30:00Z");
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Job succeeded(List<? extends JobOutput> outputs) {
        return succeeded(Jobs.queuedImage("sdxl", T0), outputs);
    }

    private static Job succeeded(Job queued, List<? extends JobOutput> outputs) {
        return queued.beginAttempt("sdxl", "sdxl", T0).attemptSubmitted("p-1")
                .succeed(outputs, T0.plusSeconds(2), T0.plusSeconds(3));
    }

    private static StoredOutput stored(JobId job) {
        return new StoredOutput(StoredOutput.key(job, 1, 0, "image/png"), "image/png", 2048, SHA, T0.plusSeconds(3),
                Optional.of(1024), Optional.of(1024));
    }

    @Test
    void aStoredOutputIsShownWithAFreshDownloadUrlItsExpiryItsRetentionAndWhatTheCopyMeasured() {
        Job queued = Jobs.queuedImage("sdxl", T0);
        Job job = succeeded(queued, List.of(stored(queued.id())));
        JsonNode output = JobView.of(job, TestOutputLinks.standard(), T0.plusSeconds(60)).path("outputs").get(0);

        assertThat(output.path("url").asText()).isEqualTo("https://outputs.test/outputs/" + job.id() + "/1/0.png?signed="
                + T0.plusSeconds(60).getEpochSecond());
        assertThat(output.path("expires_at").asText()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofHours(1)).toString());
        assertThat(output.path("retained_until").asText()).as("30 days after the copy, rounded up to midnight UTC")
                .isEqualTo("2026-12-24T00:00:00Z");
        assertThat(output.path("size_bytes").asLong()).isEqualTo(2048);
        assertThat(output.path("content_type").asText()).isEqualTo("image/png");
        assertThat(output.path("sha256").asText()).isEqualTo(SHA);
        assertThat(output.path("width").asInt()).isEqualTo(1024);
    }

    @Test
    void everyReadSignsTheUrlAnew() {
        Job queued = Jobs.queuedImage("sdxl", T0);
        Job job = succeeded(queued, List.of(stored(queued.id())));
        String first = JobView.of(job, TestOutputLinks.standard(), T0.plusSeconds(10)).path("outputs").get(0).path("url").asText();
        String later = JobView.of(job, TestOutputLinks.standard(), T0.plusSeconds(7200)).path("outputs").get(0).path("url").asText();
        assertThat(later).isNotEqualTo(first);
    }

    @Test
    void aUrlSignedWithCredentialsThatExpireSoonerSaysSo() {
        Instant credentialsEnd = T0.plusSeconds(600);
        OutputLinks links = new OutputLinks((key, now, validity) -> new OutputSigner.Signed(URI.create("https://o/" + key),
                credentialsEnd), Duration.ofHours(1), 30);
        Job queued = Jobs.queuedImage("sdxl", T0);
        Job job = succeeded(queued, List.of(stored(queued.id())));
        assertThat(JobView.of(job, links, T0).path("outputs").get(0).path("expires_at").asText())
                .isEqualTo(credentialsEnd.toString());
    }

    @Test
    void theViewSaysHowLongTheCopyTookBesideTheProvidersTime() {
        Job queued = Jobs.queuedImage("sdxl", T0);
        Job job = succeeded(queued, List.of(stored(queued.id())));
        JsonNode timings = JobView.of(job, TestOutputLinks.standard(), T0).path("timings");
        assertThat(timings.path("inference_ms").asLong()).isEqualTo(2000);
        assertThat(timings.path("copy_ms").asLong()).isEqualTo(1000);
    }

    @Test
    void anOutputFromBeforeOutputsWereCopiedStillShowsTheProvidersUrl() {
        JsonNode output = JobView.of(succeeded(List.of(Output.of("https://cdn/x.png", "image/png"))),
                TestOutputLinks.standard(), T0).path("outputs").get(0);
        assertThat(output.path("url").asText()).isEqualTo("https://cdn/x.png");
        assertThat(output.path("content_type").asText()).isEqualTo("image/png");
        assertThat(output.path("expires_at").isNull()).isTrue();
        assertThat(output.path("sha256").isNull()).isTrue();
    }

    @Test
    void retentionEndsAtTheMidnightUtcAfterTheRulesDays() {
        OutputLinks links = TestOutputLinks.standard();
        assertThat(links.retainedUntil(Instant.parse("2026-01-15T10:30:00Z"))).isEqualTo(Instant.parse("2026-02-15T00:00:00Z"));
        assertThat(links.retainedUntil(Instant.parse("2026-01-15T00:00:00Z"))).isEqualTo(Instant.parse("2026-02-14T00:00:00Z"));
    }

    @Test
    void anOutputsKeyNamesItsJobAttemptAndIndexAndEndsInItsType() {
        JobId id = new JobId("gen_00000000000000000000000042");
        assertThat(StoredOutput.key(id, 2, 0, "video/mp4")).isEqualTo("outputs/gen_00000000000000000000000042/2/0.mp4");
        assertThat(StoredOutput.key(id, 1, 3, "image/png")).isEqualTo("outputs/gen_00000000000000000000000042/1/3.png");
        assertThat(StoredOutput.key(id, 1, 0, "application/x-unknown")).isEqualTo("outputs/gen_00000000000000000000000042/1/0");
    }
}
