package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.reconcile.UnsettledJobs;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.webhook.EventId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The unsettled index as template.yaml declares it, on DynamoDB Local: what the reconciler finds, and
 * when, and what keeping it costs in index writes.
 */
@ExtendWith(AwsServices.class)
class DynamoDbUnsettledJobsTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static DynamoDbClient dynamo;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        dynamo = aws.newDynamoDb();
        table = "jobs-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(DynamoDbJobStore.JOB_ID).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(DynamoDbJobStore.UNSETTLED_SHARD).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(DynamoDbJobStore.ATTENTION_AT).attributeType(ScalarAttributeType.N).build())
                .keySchema(k -> k.attributeName(DynamoDbJobStore.JOB_ID).keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName(DynamoDbJobStore.UNSETTLED_INDEX)
                        .keySchema(k -> k.attributeName(DynamoDbJobStore.UNSETTLED_SHARD).keyType(KeyType.HASH),
                                k -> k.attributeName(DynamoDbJobStore.ATTENTION_AT).keyType(KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes(DynamoDbJobStore.RECOVERIES))));
    }

    @Test
    void aJobIsFoundOnceItRestedFromItsAdmissionAndARecoveryMovesItsNextLookUntilTheJobMoves() {
        DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
        UnsettledJobs index = new DynamoDbUnsettledJobs(dynamo, table);
        Job queued = Jobs.queuedImage("seedream", T0);
        store.create(queued);
        assertThat(ids(index.due(T0.minusSeconds(1), 100))).doesNotContain(queued.id());
        assertThat(index.due(T0, 100)).contains(new UnsettledJobs.Candidate(queued.id(), T0, 0));

        assertThat(index.recovered(queued.id(), queued.version(), 1, T0.plusSeconds(300))).isTrue();
        assertThat(ids(index.due(T0.plusSeconds(299), 100))).doesNotContain(queued.id());
        assertThat(index.due(T0.plusSeconds(300), 100)).contains(new UnsettledJobs.Candidate(queued.id(), T0.plusSeconds(300), 1));

        Job running = queued.beginAttempt("seedream", "seedream", T0.plusSeconds(400));
        store.update(running);
        assertThat(index.recovered(queued.id(), queued.version(), 2, T0.plusSeconds(900)))
                .as("a job that moved is not marked by a recovery decided before the move").isFalse();
        assertThat(index.due(T0.plusSeconds(300), 100))
                .as("the move dropped the recoveries and left the entry where it was")
                .contains(new UnsettledJobs.Candidate(queued.id(), T0.plusSeconds(300), 0));

        index.lookAgain(queued.id(), running.version(), T0.plusSeconds(400));
        assertThat(index.due(T0.plusSeconds(400), 100)).contains(new UnsettledJobs.Candidate(queued.id(), T0.plusSeconds(400), 0));
        assertThat(ids(index.due(T0.plusSeconds(399), 100))).doesNotContain(queued.id());
        assertThat(store.find(queued.id())).contains(running);
    }

    @Test
    void aJobLeavesTheIndexWhenItsWebhookAttemptIsRecordedOrWhenItIsSettledAsOfTheVersionSeen() {
        DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
        UnsettledJobs index = new DynamoDbUnsettledJobs(dynamo, table);
        Job hooked = ended(store, Jobs.queued(Jobs.image("seedream", Optional.of(URI.create("https://h.example/x"))),
                "seedream", T0));
        assertThat(ids(index.due(T0.plusSeconds(100_000), 100))).as("ended, webhook not attempted").contains(hooked.id());
        store.update(hooked.webhookAttempted(new WebhookAttempt(1, EventId.of(hooked.id(), hooked.status()),
                T0.plusSeconds(20), Optional.of(200), Optional.empty(), 30)));
        assertThat(ids(index.due(T0.plusSeconds(100_000), 100))).doesNotContain(hooked.id());

        Job queued = Jobs.queuedImage("seedream", T0);
        store.create(queued);
        Job running = queued.beginAttempt("seedream", "seedream", T0.plusSeconds(1));
        store.update(running);
        Job plain = running.fail(new JobError("providers_unavailable", "none could serve"), T0.plusSeconds(2));
        store.update(plain);
        assertThat(store.settled(running)).as("settled only as of the version seen").isFalse();
        assertThat(ids(index.due(T0.plusSeconds(100_000), 100))).contains(plain.id());
        assertThat(store.settled(plain)).isTrue();
        assertThat(ids(index.due(T0.plusSeconds(100_000), 100))).doesNotContain(plain.id());
        assertThat(store.find(plain.id())).contains(plain);
    }

    @Test
    void aJobsWritesTouchTheIndexOnlyWhenItIsAdmittedAndWhenItIsSettled() {
        List<Double> indexUnits = new ArrayList<>();
        try (DynamoDbClient metered = DynamoDbClient.builder().region(dynamo.serviceClientConfiguration().region())
                .endpointOverride(dynamo.serviceClientConfiguration().endpointOverride().orElseThrow())
                .credentialsProvider(dynamo.serviceClientConfiguration().credentialsProvider())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(indexUnitsInto(indexUnits))).build()) {
            DynamoDbJobStore store = new DynamoDbJobStore(metered, table, Duration.ofDays(30));
            Job job = Jobs.queued(Jobs.image("seedream", Optional.of(URI.create("https://h.example/x"))), "seedream", T0);
            store.create(job);
            Job done = ended(store, job);
            store.update(done.webhookAttempted(new WebhookAttempt(1, EventId.of(done.id(), done.status()),
                    T0.plusSeconds(20), Optional.of(200), Optional.empty(), 30)));
        }
        assertThat(indexUnits).as("index write units of: admission, start, submission, success, webhook attempt")
                .containsExactly(1.0, 0.0, 0.0, 0.0, 1.0);
    }

    @Test
    void aSweepFindsTheDueJobsOfEveryShardAndAtItsLimitTheSameOnesAsReadingTheShardsOneAfterAnother() {
        DynamoDbJobStore store = new DynamoDbJobStore(dynamo, table, Duration.ofDays(30));
        UnsettledJobs index = new DynamoDbUnsettledJobs(dynamo, table);
        // Earlier than every other test's jobs, so that only these are due.
        Instant from = T0.minus(Duration.ofDays(10));
        java.util.Map<Integer, List<Job>> byShard = new java.util.TreeMap<>();
        for (int i = 0; byShard.size() < DynamoDbJobStore.UNSETTLED_SHARDS || i < 40; i++) {
            Job job = Jobs.queuedImage("seedream", from.plusSeconds(i));
            store.create(job);
            byShard.computeIfAbsent(DynamoDbJobStore.shard(job.id()), s -> new ArrayList<>()).add(job);
        }
        List<JobId> oneShardAfterAnother = byShard.values().stream().flatMap(List::stream).map(Job::id).toList();
        Instant before = from.plus(Duration.ofDays(1));

        assertThat(ids(index.due(before, 1000))).as("every due job, one or more in each of the %d shards",
                DynamoDbJobStore.UNSETTLED_SHARDS).containsExactlyElementsOf(oneShardAfterAnother);
        int limit = byShard.get(0).size() + byShard.get(1).size() + 1;
        assertThat(ids(index.due(before, limit))).as("the first %d, shard by shard", limit)
                .containsExactlyElementsOf(oneShardAfterAnother.subList(0, limit));
    }

    /** Asks DynamoDB for each write's capacity by index, and notes the unsettled index's share. */
    private static software.amazon.awssdk.core.interceptor.ExecutionInterceptor indexUnitsInto(List<Double> units) {
        return new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public software.amazon.awssdk.core.SdkRequest modifyRequest(
                    software.amazon.awssdk.core.interceptor.Context.ModifyRequest context,
                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof PutItemRequest put) {
                    return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
                }
                if (context.request() instanceof UpdateItemRequest update) {
                    return update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
                }
                return context.request();
            }

            @Override
            public void afterExecution(software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
                    software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                ConsumedCapacity capacity = context.response() instanceof PutItemResponse put ? put.consumedCapacity()
                        : context.response() instanceof UpdateItemResponse update ? update.consumedCapacity() : null;
                if (capacity != null) {
                    units.add(capacity.globalSecondaryIndexes() == null ? 0.0
                            : capacity.globalSecondaryIndexes().getOrDefault(DynamoDbJobStore.UNSETTLED_INDEX,
                                    Capacity.builder().capacityUnits(0.0).build()).capacityUnits());
                }
            }
        };
    }

    /** The job created, started, submitted and succeeded through the store. */
    private static Job ended(DynamoDbJobStore store, Job queued) {
        store.create(queued);
        Job running = queued.beginAttempt("seedream", "seedream", T0.plusSeconds(1));
        store.update(running);
        Job submitted = running.attemptSubmitted("p-1");
        store.update(submitted);
        Job done = submitted.succeed(List.of(Output.of("https://cdn/x.png", "image/png")), T0.plusSeconds(10));
        store.update(done);
        return done;
    }

    private static List<JobId> ids(List<UnsettledJobs.Candidate> candidates) {
        return candidates.stream().map(UnsettledJobs.Candidate::id).toList();
    }
}
