package run.creativeai.local.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The embedded AWS backend, reached through the real SDK clients. */
class LocalServicesTest {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    @Test
    void theRealSdkClientsWorkAgainstEveryLocalService() {
        try (LocalServices services = LocalServices.start(EmbeddedAws.start(Optional.empty()), Clock.systemUTC());
                DynamoDbClient dynamo = dynamo(services);
                SqsClient sqs = sqs(services);
                SecretsManagerClient secrets = secrets(services)) {
            createTable(dynamo);
            dynamo.putItem(b -> b.tableName("probe-table").item(Map.of("pk", AttributeValue.fromS("a"))));
            assertThat(dynamo.getItem(b -> b.tableName("probe-table").key(Map.of("pk", AttributeValue.fromS("a")))).hasItem())
                    .isTrue();

            String url = sqs.createQueue(b -> b.queueName("probe")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages())
                    .extracting(m -> m.body()).containsExactly("hello");

            secrets.createSecret(b -> b.name("probe/secret").secretString("s3cret"));
            assertThat(secrets.getSecretValue(b -> b.secretId("probe/secret")).secretString()).isEqualTo("s3cret");
            assertThatThrownBy(() -> secrets.createSecret(b -> b.name("probe/secret").secretString("again")))
                    .isInstanceOf(ResourceExistsException.class);
            assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("missing")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void aSecretPutKeepsThePreviousValueAsAwsPrevious() {
        try (LocalServices services = LocalServices.start(EmbeddedAws.start(Optional.empty()), Clock.systemUTC());
                SecretsManagerClient secrets = secrets(services)) {
            secrets.createSecret(b -> b.name("rotating").secretString("one"));
            secrets.putSecretValue(b -> b.secretId("rotating").secretString("two"));
            assertThat(secrets.getSecretValue(b -> b.secretId("rotating")).secretString()).isEqualTo("two");
            assertThat(secrets.getSecretValue(b -> b.secretId("rotating").versionStage("AWSPREVIOUS")).secretString())
                    .isEqualTo("one");
        }
    }

    @Test
    void stagingLabelsMoveAsInSecretsManagerRotation() {
        try (LocalServices services = LocalServices.start(EmbeddedAws.start(Optional.empty()), Clock.systemUTC());
                SecretsManagerClient secrets = secrets(services)) {
            String first = secrets.createSecret(b -> b.name("staged").secretString("one")).versionId();
            String pending = secrets.putSecretValue(b -> b.secretId("staged").secretString("two")
                    .clientRequestToken("token-two-0000000000000000000000000").versionStages("AWSPENDING")).versionId();
            assertThat(pending).isEqualTo("token-two-0000000000000000000000000");
            assertThat(secrets.getSecretValue(b -> b.secretId("staged")).secretString())
                    .as("a pending version leaves the current one alone").isEqualTo("one");
            assertThat(secrets.getSecretValue(b -> b.secretId("staged").versionStage("AWSPENDING")).secretString())
                    .isEqualTo("two");
            assertThat(secrets.putSecretValue(b -> b.secretId("staged").secretString("two")
                    .clientRequestToken(pending).versionStages("AWSPENDING")).versionId())
                    .as("the same token and value is the same version").isEqualTo(pending);
            assertThatThrownBy(() -> secrets.putSecretValue(b -> b.secretId("staged").secretString("other")
                    .clientRequestToken(pending))).isInstanceOf(ResourceExistsException.class);

            assertThatThrownBy(() -> secrets.updateSecretVersionStage(b -> b.secretId("staged")
                    .versionStage("AWSCURRENT").moveToVersionId(pending)))
                    .as("moving a label that another version holds names that version")
                    .isInstanceOf(InvalidParameterException.class);
            secrets.updateSecretVersionStage(b -> b.secretId("staged").versionStage("AWSCURRENT")
                    .moveToVersionId(pending).removeFromVersionId(first));
            secrets.updateSecretVersionStage(b -> b.secretId("staged").versionStage("AWSPENDING")
                    .removeFromVersionId(pending));

            Map<String, java.util.List<String>> stages = secrets.describeSecret(b -> b.secretId("staged"))
                    .versionIdsToStages();
            assertThat(stages).containsEntry(pending, java.util.List.of("AWSCURRENT"))
                    .containsEntry(first, java.util.List.of("AWSPREVIOUS"));
            assertThat(secrets.getSecretValue(b -> b.secretId("staged")).secretString()).isEqualTo("two");
            assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("staged").versionStage("AWSPENDING")))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void withADataDirectoryTablesMessagesAndSecretsSurviveARestart(@TempDir Path data) {
        String url;
        try (LocalServices services = LocalServices.start(EmbeddedAws.start(Optional.of(data)), Clock.systemUTC());
                DynamoDbClient dynamo = dynamo(services);
                SqsClient sqs = sqs(services);
                SecretsManagerClient secrets = secrets(services)) {
            createTable(dynamo);
            dynamo.putItem(b -> b.tableName("probe-table").item(Map.of("pk", AttributeValue.fromS("kept"))));
            url = sqs.createQueue(b -> b.queueName("kept-queue")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("still here"));
            secrets.createSecret(b -> b.name("kept/secret").secretString("v"));
        }
        try (LocalServices services = LocalServices.start(EmbeddedAws.start(Optional.of(data)), Clock.systemUTC());
                DynamoDbClient dynamo = dynamo(services);
                SqsClient sqs = sqs(services);
                SecretsManagerClient secrets = secrets(services)) {
            assertThat(dynamo.getItem(b -> b.tableName("probe-table").key(Map.of("pk", AttributeValue.fromS("kept"))))
                    .hasItem()).isTrue();
            String queue = sqs.getQueueUrl(b -> b.queueName("kept-queue")).queueUrl();
            assertThat(sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(2)).messages())
                    .extracting(m -> m.body()).containsExactly("still here");
            assertThat(secrets.getSecretValue(b -> b.secretId("kept/secret")).secretString()).isEqualTo("v");
        }
    }

    @Test
    void aSecondStartOnADataDirectoryInUseFailsSayingSo(@TempDir Path data) {
        try (EmbeddedAws first = EmbeddedAws.start(Optional.of(data))) {
            assertThatThrownBy(() -> EmbeddedAws.start(Optional.of(data)).close())
                    .hasMessageContaining("is another local cloud using the same --data directory?");
        }
    }

    private static void createTable(DynamoDbClient dynamo) {
        dynamo.createTable(b -> b.tableName("probe-table")
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .billingMode(BillingMode.PAY_PER_REQUEST));
    }

    static DynamoDbClient dynamo(LocalServices services) {
        return DynamoDbClient.builder().endpointOverride(services.dynamoDbEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SqsClient sqs(LocalServices services) {
        return SqsClient.builder().endpointOverride(services.sqsEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    static SecretsManagerClient secrets(LocalServices services) {
        return SecretsManagerClient.builder().endpointOverride(services.secretsManagerEndpoint()).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
