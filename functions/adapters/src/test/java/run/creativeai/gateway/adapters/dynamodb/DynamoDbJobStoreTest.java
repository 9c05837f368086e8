package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.testing.Jobs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsServices.class)
class DynamoDbJobStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbJobStore.JOB_ID);
    }

    @Test
    void aJobReadsBackExactlyAsItWasWrittenThroughEveryStage() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Job queued = Jobs.queued(new run.creativeai.gateway.job.GenerationRequest(run.creativeai.gateway.model.JobKind.VIDEO,
                    "auto", "caf\u00e9 at night \uD83C\uDF03", 1, Optional.empty(), Optional.of(10),
                    run.creativeai.gateway.model.Operation.IMAGE_TO_VIDEO,
                    Optional.of(new run.creativeai.gateway.media.MediaSource.Upload(
                            new run.creativeai.gateway.media.UploadId("upl_01jabcdefghjkmnpqrstvwxyz0"))),
                    Optional.empty(), Optional.of(URI.create("https://h.example/x")),
                    Optional.of("{\"order\":\"A-1\"}")), "kling", T0);
            assertThat(store.create(queued)).isTrue();
            List<UnaryOperator<Job>> steps = List.of(
                    j -> j.linkSkipped("kling", "kling", 1, "capacity: all 50 slots are in use", T0.plusMillis(20)),
                    j -> j.beginAttempt("seedance", "seedance", T0.plusMillis(30)),
                    j -> j.attemptEnded(AttemptOutcome.TIMED_OUT, "timeout: no answer within 5 s", T0.plusMillis(60)),
                    j -> j.beginAttempt("kling", "kling", 2, T0.plusMillis(60)),
                    j -> j.attemptEnded(AttemptOutcome.UNAVAILABLE, "capacity: HTTP 429", T0.plusMillis(70)),
                    j -> j.beginAttempt("seedance", "seedance", T0.plusMillis(80)),
                    j -> j.attemptSubmitted("req-9"),
                    j -> j.succeed(List.of(new StoredOutput(j.id() + "/4/0.mp4", "video/mp4",
                            52_428_800L, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                            T0.plusSeconds(41), Optional.of(1280), Optional.of(720))), T0.plusSeconds(40), T0.plusSeconds(41)),
                    j -> j.webhookAttempted(new WebhookAttempt(1, "evt_x", T0.plusSeconds(41), Optional.empty(),
                            Optional.of("timed out after 10 s"), 10_000)));
            Job done = queued;
            for (UnaryOperator<Job> step : steps) {
                done = step.apply(done);
                assertThat(store.update(done)).isTrue();
            }
            Job read = store.find(queued.id()).orElseThrow();
            assertThat(read.request()).isEqualTo(done.request());
            assertThat(read.attempts()).isEqualTo(done.attempts());
            assertThat(read.attempts()).extracting(run.creativeai.gateway.job.ProviderAttempt::round)
                    .containsExactly(1, 1, 2, 2);
            assertThat(read.outputs()).isEqualTo(done.outputs());
            assertThat(read.timings()).isEqualTo(done.timings());
            assertThat(read.webhookAttempts()).isEqualTo(done.webhookAttempts());
            assertThat(read.modelActual()).contains("seedance");
            assertThat(read.failoverUsed()).isTrue();
        }
    }

    @Test
    void aJobStoredBeforeOutputsWereCopiedStillReadsWithItsProvidersUrl() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Job queued = Jobs.queuedImage("sdxl", T0);
            store.create(queued);
            Job running = queued.beginAttempt("sdxl", "sdxl", T0);
            assertThat(store.update(running)).isTrue();
            Job done = running.succeed(List.of(Output.of("https://cdn/old.png", "image/png")), T0.plusSeconds(2));
            assertThat(store.update(done)).isTrue();
            assertThat(store.find(queued.id()).orElseThrow().outputs()).containsExactly(Output.of("https://cdn/old.png",
                    "image/png"));
        }
    }

    @Test
    void anUpdateFromAStaleVersionIsRefused() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Job queued = Jobs.queuedImage("sdxl", T0);
            store.create(queued);
            Job first = queued.beginAttempt("sdxl", "sdxl", T0);
            Job second = queued.cancel(T0);
            assertThat(store.update(first)).isTrue();
            assertThat(store.update(second)).as("derived from the version the first writer replaced").isFalse();
            assertThat(store.create(queued)).as("the id is taken").isFalse();
        }
    }

    @Test
    void aFinishedJobExpiresAfterTheRetentionPeriodAndARunningOneNever() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Job queued = Jobs.queuedImage("sdxl", T0);
            store.create(queued);
            assertThat(item(dynamo, queued)).doesNotContainKey(DynamoDbJobStore.EXPIRES_AT);
            store.update(queued.cancel(T0.plusSeconds(5)));
            assertThat(Long.parseLong(item(dynamo, queued).get(DynamoDbJobStore.EXPIRES_AT).n()))
                    .isEqualTo(T0.plusSeconds(5).plus(Duration.ofDays(30)).getEpochSecond());
        }
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamo, Job job) {
        return dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(DynamoDbJobStore.JOB_ID, AttributeValue.fromS(job.id().value())))).item();
    }
}
