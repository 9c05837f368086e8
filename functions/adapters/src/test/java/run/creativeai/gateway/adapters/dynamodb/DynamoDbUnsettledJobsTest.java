package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.reconcile.UnsettledJobs;
import run.creativeai.gateway.testing.Jobs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The unsettled index as template.yaml declares it, on DynamoDB Local: what the reconciler finds, and when. */
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
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes(DynamoDbUnsettledJobs.RECOVERIES))));
    }

    @Test
    void aJobIsFoundOnceItRestedUntilItIsSettledAndARecoveryMovesItsNextLook() {
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
        assertThat(index.due(T0.plusSeconds(400), 100)).contains(new UnsettledJobs.Candidate(queued.id(), T0.plusSeconds(400), 0));

        Job done = running.attemptSubmitted("p-1").succeed(List.of(Output.of("https://cdn/x.png", "image/png")),
                T0.plusSeconds(410));
        store.update(running.attemptSubmitted("p-1"));
        store.update(done);
        assertThat(index.settled(queued.id(), done.version() - 1)).as("settled only as of the version seen").isFalse();
        assertThat(index.settled(queued.id(), done.version())).isTrue();
        assertThat(ids(index.due(T0.plusSeconds(100_000), 100))).doesNotContain(queued.id());
        assertThat(store.find(queued.id())).contains(done);
    }

    private static List<JobId> ids(List<UnsettledJobs.Candidate> candidates) {
        return candidates.stream().map(UnsettledJobs.Candidate::id).toList();
    }
}
