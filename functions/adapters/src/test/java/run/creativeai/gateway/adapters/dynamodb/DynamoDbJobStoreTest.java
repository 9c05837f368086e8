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
                    Optional.of("{\"order\":\"A-1\"}"), java.util.Set.of(run.creativeai.gateway.job.WebhookEventKind.START,
                            run.creativeai.gateway.job.WebhookEventKind.COMPLETED)).withCancelAfter(
                            Optional.of(Duration.ofMinutes(90))), "kling", T0);
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
            assertThat(read.request().webhookEvents()).as("the webhook's filter").hasSize(2);
            assertThat(read.deadline()).as("the Cancel-After deadline").contains(T0.plus(Duration.ofMinutes(90)));
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
    void aWorkflowStepKeepsItsWorkflowsDeadlineAndOneStoredWithoutItsWorkflowsCreationKeepsItsOwn() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Instant workflowCreated = T0.minusSeconds(25);
            Job step = Job.admitted(new run.creativeai.gateway.job.JobId("gen_" + "7".repeat(26)),
                    new run.creativeai.gateway.tenant.TenantId("tenant-a"), new run.creativeai.gateway.tenant.KeyId("key_test1"),
                    run.creativeai.gateway.plan.Tier.PRO, "pro",
                    Jobs.queuedImage("sdxl", T0).request().withCancelAfter(Optional.of(Duration.ofSeconds(60))), "sdxl", T0,
                    run.creativeai.gateway.job.JobCost.free(), run.creativeai.gateway.tenant.TenantTerms.none(),
                    Optional.of(new run.creativeai.gateway.job.StepOf(
                            new run.creativeai.gateway.job.WorkflowId("wf_" + "7".repeat(26)), "clip", workflowCreated)));
            assertThat(store.create(step)).isTrue();
            Job read = store.find(step.id()).orElseThrow();
            assertThat(read).isEqualTo(step);
            assertThat(read.deadline()).contains(workflowCreated.plusSeconds(60));

            // As a step's job was written before its workflow's creation was kept with it.
            com.fasterxml.jackson.databind.node.ObjectNode doc = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(JobDocument.write(step));
            ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("workflow")).remove("created_at");
            assertThat(JobDocument.read(doc.toString()).deadline()).contains(T0.plusSeconds(60));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
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

    @Test
    void aFinishedJobWithItsOutputsAndWebhookAttemptFitsTheOneKilobyteOfAWriteUnit() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Job queued = Jobs.queued(Jobs.image("seedream", Optional.of(URI.create("https://hooks.example.com/creativeai/jobs"))),
                    "seedream", T0);
            store.create(queued);
            Job running = queued.beginAttempt("seedream", "seedream", T0.plusMillis(300));
            Job submitted = running.attemptSubmitted("805f0e691c49470e9a2b9bfb7723064e");
            Job done = submitted.succeed(List.of(
                    Output.of("https://replicate.delivery/xezq/805f0e691c49470e9a2b9bfb7723064e/out-0.png", "image/png"),
                    Output.of("https://replicate.delivery/xezq/805f0e691c49470e9a2b9bfb7723064e/out-1.png", "image/png")),
                    T0.plusMillis(1500));
            Job delivered = done.webhookAttempted(new WebhookAttempt(1, "evt_0123456789abcdef0123456789abcdef",
                    T0.plusMillis(1600), Optional.of(200), Optional.empty(), 84));
            for (Job next : List.of(running, submitted, done, delivered)) {
                assertThat(store.update(next)).isTrue();
            }
            assertThat(JobDocument.write(delivered).length()).as("the document as text").isGreaterThan(1024);
            assertThat(size(item(dynamo, queued))).as("the stored item, as DynamoDB sizes it").isLessThan(1024);
            assertThat(store.find(queued.id())).contains(delivered);
        }
    }

    @Test
    void aJobStoredWithItsDocumentAsTextReadsBackAndItsNextWritePacksIt() {
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
            Job queued = Jobs.queuedImage("sdxl", T0);
            dynamo.putItem(b -> b.tableName(table).item(Map.of(
                    DynamoDbJobStore.JOB_ID, AttributeValue.fromS(queued.id().value()),
                    DynamoDbJobStore.TENANT_ID, AttributeValue.fromS(queued.tenantId().value()),
                    DynamoDbJobStore.STATUS, AttributeValue.fromS(queued.status().wireName()),
                    DynamoDbJobStore.VERSION, AttributeValue.fromN(Long.toString(queued.version())),
                    DynamoDbJobStore.DOCUMENT, AttributeValue.fromS(JobDocument.write(queued)))));
            assertThat(store.find(queued.id())).contains(queued);

            Job running = queued.beginAttempt("sdxl", "sdxl", T0.plusSeconds(1));
            assertThat(store.update(running)).isTrue();
            assertThat(item(dynamo, queued)).containsKey(DynamoDbJobStore.PACKED_DOCUMENT)
                    .doesNotContainKey(DynamoDbJobStore.DOCUMENT);
            assertThat(store.find(queued.id())).contains(running);
        }
    }

    /** An item's size as DynamoDB counts it for capacity: names plus values (numbers approximated from their digits). */
    private static int size(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
            AttributeValue v = a.getValue();
            size += a.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            size += v.s() != null ? v.s().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                    : v.n() != null ? v.n().length() / 2 + 2 : v.b().asByteArray().length;
        }
        return size;
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamo, Job job) {
        return dynamo.getItem(b -> b.tableName(table)
                .key(Map.of(DynamoDbJobStore.JOB_ID, AttributeValue.fromS(job.id().value())))).item();
    }
}
