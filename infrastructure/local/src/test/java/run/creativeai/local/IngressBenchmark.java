package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Ingress overhead against the floor: the latency of a full admission (auth, every limit, the job
 * write, the enqueue) through the local runtime's HTTP API, next to the floor made directly with the
 * SDK in the same run. The floor is the four calls an admission made before it was folded (the key
 * read, the limiter's transaction, the job's put, the enqueue), rebuilt from the calls each admission
 * made as the ingress function made them ({@link AwsRequestMeter}): the key read of the last
 * admission that read it, the job's put taken out of the transaction that now carries it. They are
 * replayed by one client built exactly as the function builds its own ({@link AwsClients}); the job
 * item is written under a fresh key and the message goes to a queue of its own, so the replay does
 * what the admission did without creating a second job. Each admission is followed at once by its
 * replay, so both see the same machine and the same background work.
 */
@ExtendWith(LocalCloudExtension.class)
class IngressBenchmark {
    private static final int WARM_UP = 150;
    private static final int ROUNDS = 6;
    private static final int PER_BLOCK = 100;

    @Test
    void fullAdmissionAgainstTheSameCallsMadeDirectly(LocalCloud cloud) throws Exception {
        AwsRequestMeter.enable();
        Api api = new Api(cloud);
        String key = cloud.issueKey(LocalCloudExtension.BENCH_TENANT, "enterprise").value();
        FunctionEnvironment env = FunctionEnvironment.of(cloud.runtime().function("IngressFunction").environment());
        List<Long> gateway = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        Map<String, Integer> operations = new LinkedHashMap<>();
        Map<String, Integer> floorOperations = new LinkedHashMap<>();
        var ingress = cloud.runtime().function("IngressFunction");
        long handlerMillis = 0;
        try (AutoCloseable fast = BenchSupport.zeroLatency(cloud, List.of("sdxl"));
                DynamoDbClient dynamo = AwsClients.dynamoDb(env);
                SqsClient sqs = AwsClients.sqs(env);
                SecretsManagerClient secrets = AwsClients.secretsManager(env)) {
            String floorQueue = sqs.createQueue(b -> b.queueName("ingress-floor-" + System.nanoTime())).queueUrl();
            Replay replay = new Replay(dynamo, sqs, secrets, floorQueue, env.required(Components.JOBS_TABLE));
            for (int round = -1; round < ROUNDS; round++) {
                boolean measured = round >= 0;
                long handlerBefore = ingress.billedMillis();
                for (int i = 0; i < (measured ? PER_BLOCK : WARM_UP); i++) {
                    AwsRequestMeter.capture("lambda-IngressFunction");
                    long start = System.nanoTime();
                    Api.Response r = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"overhead\"}");
                    long took = System.nanoTime() - start;
                    assertThat(r.status()).as(r.toString()).isEqualTo(202);
                    List<AwsRequestMeter.Captured> calls = AwsRequestMeter.takeCaptured();
                    AwsRequestMeter.capture(null);
                    // Its replay at once, so that both see the same machine, including the dispatch of
                    // the jobs admitted just before, which runs beside them in the local cloud.
                    List<SdkRequest> floorCalls = replay.unfolded(calls);
                    long replayStart = System.nanoTime();
                    floorCalls.forEach(replay::call);
                    long replayTook = System.nanoTime() - replayStart;
                    if (measured) {
                        gateway.add(took);
                        floor.add(replayTook);
                        String ops = calls.stream().map(c -> c.request().getClass().getSimpleName().replace("Request", ""))
                                .collect(Collectors.joining(" + "));
                        operations.merge(ops, 1, Integer::sum);
                        floorOperations.merge(floorCalls.stream().map(c -> c.getClass().getSimpleName()
                                .replace("Request", "")).collect(Collectors.joining(" + ")), 1, Integer::sum);
                    }
                }
                if (measured) {
                    handlerMillis += ingress.billedMillis() - handlerBefore;
                }
            }
            sqs.deleteQueue(b -> b.queueUrl(floorQueue));
            replay.removeWrittenItems();
        }

        Measurements out = new Measurements("ingress");
        out.line("%d admissions (`POST /v1/images/generations`, one client, sequential) through the local runtime's HTTP"
                + " API, each followed at once by the floor: the four calls an admission made before the job's put joined"
                + " the limiter's transaction (key read, transaction, put, enqueue), replayed directly; after %d warm-up"
                + " admissions; milliseconds:", gateway.size(), WARM_UP);
        out.line("");
        out.line("| | p50 | p90 | p99 | max |");
        out.line("|---|---:|---:|---:|---:|");
        row(out, "gateway: full admission over HTTP", gateway);
        row(out, "floor: the four calls, direct", floor);
        double p50 = Measurements.quantile(gateway, 0.5) / (double) Measurements.quantile(floor, 0.5);
        double p99 = Measurements.quantile(gateway, 0.99) / (double) Measurements.quantile(floor, 0.99);
        out.line("| **ratio gateway / floor** | **%.2f** | %.2f | **%.2f** | |", p50,
                Measurements.quantile(gateway, 0.9) / (double) Measurements.quantile(floor, 0.9), p99);
        out.line("");
        double handlerMean = handlerMillis / (double) gateway.size();
        double gatewayMean = gateway.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6;
        double floorMean = floor.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6;
        out.line("Means: gateway %.1f ms, of which %.1f ms inside the ingress handler (its billed duration; the rest is the"
                + " local runtime's HTTP server, event (de)serialisation and the client), floor %.1f ms. Handler / floor:"
                + " %.2f.", gatewayMean, handlerMean, floorMean, handlerMean / floorMean);
        out.line("");
        out.line("Target: ratio <= 1.2 at p50 and p99: %s at p50 (%.2f), %s at p99 (%.2f).", p50 <= 1.2 ? "met" : "missed",
                p50, p99 <= 1.2 ? "met" : "missed", p99);
        out.line("");
        out.line("The calls of an admission, as captured (admissions: count):");
        out.line("");
        operations.forEach((ops, n) -> out.line("- %s: %d", ops, n));
        out.line("");
        out.line("The calls of the floor (admissions: count):");
        out.line("");
        floorOperations.forEach((ops, n) -> out.line("- %s: %d", ops, n));
        out.csv("percentile", "series", "latency_ms");
        for (int q : new int[] {10, 25, 50, 75, 90, 95, 99}) {
            out.csv(q, "gateway", Measurements.quantile(gateway, q / 100.0) / 1e6);
            out.csv(q, "floor", Measurements.quantile(floor, q / 100.0) / 1e6);
        }
        out.save();
    }

    private static void row(Measurements out, String name, List<Long> nanos) {
        out.line("| %s | %s | %s | %s | %s |", name, BenchSupport.ms(Measurements.quantile(nanos, 0.5)),
                BenchSupport.ms(Measurements.quantile(nanos, 0.9)), BenchSupport.ms(Measurements.quantile(nanos, 0.99)),
                BenchSupport.ms(Measurements.quantile(nanos, 1.0)));
    }

    /** Makes a captured call again with the floor's clients. */
    private static final class Replay {
        private final DynamoDbClient dynamo;
        private final SqsClient sqs;
        private final SecretsManagerClient secrets;
        private final String floorQueue;
        private final String jobsTable;
        private final Map<String, String> hashKeys = new ConcurrentHashMap<>();
        private GetItemRequest keyRead;
        private final List<Map.Entry<String, Map<String, AttributeValue>>> written = new ArrayList<>();
        private long fresh;

        Replay(DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets, String floorQueue, String jobsTable) {
            this.dynamo = dynamo;
            this.sqs = sqs;
            this.secrets = secrets;
            this.floorQueue = floorQueue;
            this.jobsTable = jobsTable;
        }

        /**
         * An admission's calls as they were before the fold: the key read (the last one an admission
         * made, when this one reused a record), the limiter's transaction without the job, the job's
         * own put, and the rest as made.
         */
        List<SdkRequest> unfolded(List<AwsRequestMeter.Captured> calls) {
            List<SdkRequest> floor = new ArrayList<>();
            boolean readKey = false;
            for (AwsRequestMeter.Captured captured : calls) {
                SdkRequest request = captured.request();
                if (request instanceof GetItemRequest r) {
                    keyRead = r;
                    readKey = true;
                    floor.add(r);
                } else if (request instanceof TransactWriteItemsRequest r && r.transactItems().stream()
                        .anyMatch(t -> t.put() != null && t.put().tableName().equals(jobsTable))) {
                    floor.add(r.toBuilder().transactItems(r.transactItems().stream()
                            .filter(t -> t.put() == null || !t.put().tableName().equals(jobsTable)).toList()).build());
                    r.transactItems().stream().filter(t -> t.put() != null && t.put().tableName().equals(jobsTable))
                            .forEach(t -> floor.add(PutItemRequest.builder().tableName(jobsTable).item(t.put().item())
                                    .conditionExpression(t.put().conditionExpression())
                                    .expressionAttributeNames(t.put().expressionAttributeNames()).build()));
                } else {
                    floor.add(request);
                }
            }
            if (!readKey) {
                floor.add(0, keyRead);
            }
            return floor;
        }

        void call(SdkRequest request) {
            try {
                if (request instanceof GetItemRequest r) {
                    dynamo.getItem(r);
                } else if (request instanceof BatchGetItemRequest r) {
                    dynamo.batchGetItem(r);
                } else if (request instanceof UpdateItemRequest r) {
                    dynamo.updateItem(r);
                } else if (request instanceof PutItemRequest r) {
                    dynamo.putItem(freshKey(r));
                } else if (request instanceof TransactWriteItemsRequest r) {
                    dynamo.transactWriteItems(r.toBuilder().transactItems(r.transactItems().stream()
                            .map(t -> t.put() == null ? t : TransactWriteItem.builder().put(p -> p
                                    .tableName(t.put().tableName()).item(freshItem(t.put().tableName(), t.put().item()))
                                    .conditionExpression(t.put().conditionExpression())
                                    .expressionAttributeNames(t.put().expressionAttributeNames())
                                    .expressionAttributeValues(t.put().expressionAttributeValues())).build())
                            .toList()).build());
                } else if (request instanceof SendMessageRequest r) {
                    sqs.sendMessage(r.toBuilder().queueUrl(floorQueue).build());
                } else if (request instanceof GetQueueAttributesRequest r) {
                    sqs.getQueueAttributes(r);
                } else if (request instanceof GetSecretValueRequest r) {
                    secrets.getSecretValue(r);
                } else {
                    throw new IllegalStateException("the floor does not replay " + request.getClass().getSimpleName()
                            + " yet; teach it, or the floor would be missing a call the admission makes");
                }
            } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException
                    | software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
                // A refusal costs the round trip all the same; the admission path it mirrors succeeded.
            }
        }

        /** The floor's items go, so that no later benchmark in this local cloud finds them (the reconciler would). */
        void removeWrittenItems() {
            written.forEach(item -> dynamo.deleteItem(b -> b.tableName(item.getKey()).key(item.getValue())));
            written.clear();
        }

        private PutItemRequest freshKey(PutItemRequest r) {
            return r.toBuilder().item(freshItem(r.tableName(), r.item())).build();
        }

        private Map<String, AttributeValue> freshItem(String table, Map<String, AttributeValue> item) {
            String hash = hashKeys.computeIfAbsent(table, t -> dynamo.describeTable(b -> b.tableName(t)).table().keySchema()
                    .stream().filter(k -> k.keyType() == KeyType.HASH).findFirst().orElseThrow().attributeName());
            Map<String, AttributeValue> copy = new LinkedHashMap<>(item);
            AttributeValue key = AttributeValue.fromS("floor-" + (++fresh) + "-" + System.nanoTime());
            copy.put(hash, key);
            written.add(Map.entry(table, Map.of(hash, key)));
            return copy;
        }
    }
}
