package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.json.Json;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a rehearsal's calls get from the stand-in, through the real SDK clients: items read back as
 * they were put or updated, the attributes an update is asked to return, messages taken (the SDK
 * checks their checksums), secrets a provider call and a signature can use, and an environment whose
 * every endpoint is the stand-in.
 */
class LoopbackStandInTest {
    private static FunctionEnvironment real() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:9");
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/credentials");
        env.put(Components.PROVIDER_ENDPOINTS, "{\"fal\":\"https://queue.fal.run\",\"replicate\":\"https://api.replicate.com\"}");
        env.put(Components.PROVIDER_CREDENTIALS_SECRET, "stack/provider-credentials");
        return FunctionEnvironment.of(env);
    }

    @Test
    void everyEndpointOfTheRehearsalsEnvironmentIsTheStandInAndItsWebhooksStayOnLoopback() {
        try (LoopbackStandIn standIn = LoopbackStandIn.start(real())) {
            FunctionEnvironment env = standIn.environment();
            String url = env.required("AWS_ENDPOINT_URL");
            assertThat(url).startsWith("http://127.0.0.1:");
            assertThat(env.optional("AWS_ENDPOINT_URL_DYNAMODB")).as("the real DynamoDB endpoint").isEmpty();
            assertThat(env.optional("AWS_ACCESS_KEY_ID")).as("keys of its own, no credentials endpoint asked").isPresent();
            var providers = Json.read(env.required(Components.PROVIDER_ENDPOINTS));
            assertThat(providers.path("fal").asText()).startsWith(url);
            assertThat(providers.path("replicate").asText()).startsWith(url);
            assertThat(env.flag(Components.ALLOW_LOOPBACK_WEBHOOKS)).isTrue();
        }
    }

    @Test
    void itemsAreReadBackAsPutAndUpdatedAndAnUpdateReturnsWhatItIsAskedFor() {
        try (LoopbackStandIn standIn = LoopbackStandIn.start(real());
                DynamoDbClient dynamo = AwsClients.dynamoDb(standIn.environment())) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("job#1"));
            dynamo.putItem(b -> b.tableName("jobs").item(Map.of("pk", AttributeValue.fromS("job#1"),
                    "status", AttributeValue.fromS("queued"), "gone", AttributeValue.fromS("x"))));
            assertThat(dynamo.getItem(b -> b.tableName("jobs").key(key)).item()).containsEntry("status",
                    AttributeValue.fromS("queued"));
            assertThat(dynamo.getItem(b -> b.tableName("jobs").key(Map.of("pk", AttributeValue.fromS("job#2"))))
                    .hasItem()).as("another key").isFalse();
            assertThat(dynamo.getItem(b -> b.tableName("other").key(key)).hasItem()).as("another table").isFalse();

            var updated = dynamo.updateItem(b -> b.tableName("jobs").key(key)
                    .updateExpression("SET #s = :s, #f = if_not_exists(#f, :first) ADD #n :one REMOVE #g")
                    .conditionExpression("#s = :never")
                    .expressionAttributeNames(Map.of("#s", "status", "#f", "first", "#n", "count", "#g", "gone"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("running"), ":first",
                            AttributeValue.fromN("7"), ":one", AttributeValue.fromN("1"), ":never",
                            AttributeValue.fromS("never")))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            assertThat(updated).as("a condition is taken as met").containsEntry("status", AttributeValue.fromS("running"))
                    .containsEntry("first", AttributeValue.fromN("7")).containsEntry("count", AttributeValue.fromN("1"))
                    .doesNotContainKey("gone");

            var counted = dynamo.updateItem(b -> b.tableName("counters").key(Map.of("pk", AttributeValue.fromS("c")))
                    .updateExpression("ADD #n :two").expressionAttributeNames(Map.of("#n", "n"))
                    .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2")))
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes();
            var again = dynamo.updateItem(b -> b.tableName("counters").key(Map.of("pk", AttributeValue.fromS("c")))
                    .updateExpression("ADD #n :two").expressionAttributeNames(Map.of("#n", "n"))
                    .expressionAttributeValues(Map.of(":two", AttributeValue.fromN("2")))
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes();
            assertThat(counted).as("an item made by its first update").isEqualTo(Map.of("n", AttributeValue.fromN("2")));
            assertThat(again).isEqualTo(Map.of("n", AttributeValue.fromN("4")));
        }
    }

    @Test
    void messagesAreTakenAndSecretsServeAProviderCallAndASignature() {
        try (LoopbackStandIn standIn = LoopbackStandIn.start(real());
                SqsClient sqs = AwsClients.sqs(standIn.environment());
                SecretsManagerClient secrets = AwsClients.secretsManager(standIn.environment())) {
            // The SDK compares the answer's MD5 of the body with its own and fails the call on a mismatch.
            assertThat(sqs.sendMessage(b -> b.queueUrl(standIn.environment().required("AWS_ENDPOINT_URL") + "/q")
                    .messageBody("{\"job_id\":\"gen_1\"}").delaySeconds(1)).messageId()).isNotBlank();
            var keys = Json.read(secrets.getSecretValue(b -> b.secretId("stack/provider-credentials")).secretString());
            assertThat(keys.path("fal").asText()).isNotBlank();
            assertThat(keys.path("replicate").asText()).isNotBlank();
            assertThat(secrets.getSecretValue(b -> b.secretId("stack/webhook-signing/t1")).secretString())
                    .startsWith("whsec_");
            assertThat(standIn.calls()).containsExactly("AmazonSQS.SendMessage", "secretsmanager.GetSecretValue",
                    "secretsmanager.GetSecretValue");
        }
    }

    @Test
    void nothingAnswersOnceTheRehearsalIsOver() {
        LoopbackStandIn standIn = LoopbackStandIn.start(real());
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(standIn.environment())) {
            standIn.close();
            assertThatThrownBy(() -> dynamo.getItem(b -> b.tableName("jobs")
                    .key(Map.of("pk", AttributeValue.fromS("job#1"))))).isInstanceOf(SdkClientException.class);
        }
    }
}
