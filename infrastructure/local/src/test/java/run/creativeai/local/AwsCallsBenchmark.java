package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One AWS call's latency on a kept-alive connection, through the clients the functions build
 * ({@link AwsClients}: small POSTs buffered) and through the same clients over the SDK's url-connection
 * client as it comes, which streams every body and so waits out the JDK's one-millisecond check of the
 * connection before each POST. The calls a job makes most (a consistent read, a conditional update, a
 * message sent), against the local cloud's DynamoDB Local and ElasticMQ, the two clients alternating
 * call by call so both see the same machine.
 */
@ExtendWith(LocalCloudExtension.class)
class AwsCallsBenchmark {
    private static final int WARM_UP = 300;
    private static final int CALLS = 2_000;
    private static final String ITEM = "bench#aws-calls";

    @Test
    void oneCallThroughTheFunctionsClientsAgainstTheSdksUrlConnectionClient(LocalCloud cloud) {
        FunctionEnvironment env = FunctionEnvironment.of(cloud.runtime().function("DispatcherFunction").environment());
        String table = env.required(Components.STATUS_TABLE);
        try (SdkHttpClient asItComes = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(5)).build();
                DynamoDbClient dynamo = AwsClients.dynamoDb(env); SqsClient sqs = AwsClients.sqs(env);
                DynamoDbClient streamedDynamo = AwsClients.dynamoDb(env, asItComes);
                SqsClient streamedSqs = AwsClients.sqs(env, asItComes)) {
            String queue = sqs.createQueue(b -> b.queueName("creativeai-local-bench-aws-calls")).queueUrl();
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(ITEM), "sk", AttributeValue.fromS("item"));
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", key.get("pk"), "sk", key.get("sk"),
                    "n", AttributeValue.fromN("0"))));

            Map<String, List<Runnable>> calls = new LinkedHashMap<>();
            calls.put("DynamoDB GetItem (consistent)", List.of(
                    () -> dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)),
                    () -> streamedDynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true))));
            calls.put("DynamoDB UpdateItem (ADD, conditional)", List.of(
                    () -> update(dynamo, table, key), () -> update(streamedDynamo, table, key)));
            calls.put("SQS SendMessage", List.of(
                    () -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"bench\":true}")),
                    () -> streamedSqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"bench\":true}"))));

            Measurements out = new Measurements("aws-calls");
            out.line("%,d calls of each operation through each client, alternating call by call (after %d of each to warm"
                    + " up), one thread, on kept-alive connections, against the local cloud's DynamoDB Local and"
                    + " ElasticMQ over loopback; milliseconds per call.", CALLS, WARM_UP);
            out.line("");
            out.line("| call | SDK's url-connection client: p50 | p90 | p99 | functions' client (small POSTs buffered): p50 | p90 | p99"
                    + " | p50 saved |");
            out.line("|---|---:|---:|---:|---:|---:|---:|---:|");
            calls.forEach((name, pair) -> {
                for (int i = 0; i < WARM_UP; i++) {
                    pair.get(0).run();
                    pair.get(1).run();
                }
                List<Long> buffered = new ArrayList<>();
                List<Long> streamed = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    // Which client goes first alternates too, so neither always follows the other's call.
                    int first = i % 2;
                    for (int side : new int[] {first, 1 - first}) {
                        long t0 = System.nanoTime();
                        pair.get(side).run();
                        (side == 0 ? buffered : streamed).add(System.nanoTime() - t0);
                    }
                }
                long b50 = Measurements.quantile(buffered, 0.5);
                long s50 = Measurements.quantile(streamed, 0.5);
                out.line("| %s | %s | %s | %s | %s | %s | %s | %s |", name, ms(s50), ms(Measurements.quantile(streamed, 0.9)),
                        ms(Measurements.quantile(streamed, 0.99)), ms(b50), ms(Measurements.quantile(buffered, 0.9)),
                        ms(Measurements.quantile(buffered, 0.99)), ms(s50 - b50));
            });
            out.save();

            long updates = Long.parseLong(dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item()
                    .get("n").n());
            assertThat(updates).as("every update reached the item once, through either client")
                    .isEqualTo(2L * (WARM_UP + CALLS));
        }
    }

    private static void update(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
        dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression("ADD #n :one")
                .conditionExpression("attribute_exists(#n)").expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private static String ms(long nanos) {
        return BenchSupport.ms(nanos, 2);
    }
}
