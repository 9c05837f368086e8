package run.creativeai.local.services;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where DynamoDB, SQS, S3 and Secrets Manager are served from: embedded in this JVM by default, or
 * LocalStack in a container when {@code -Dgateway.aws.backend=localstack} asks for it (the Maven
 * profile {@code localstack}). Everything above talks to either through the real SDK clients.
 */
public interface AwsBackend extends AutoCloseable {
    String PROPERTY = "gateway.aws.backend";
    /** The credentials every local service is reached with; the services that check signatures check them against these. */
    String ACCESS_KEY_ID = "local";
    String SECRET_ACCESS_KEY = "local";

    URI dynamoDbEndpoint();

    URI sqsEndpoint();

    URI secretsManagerEndpoint();

    URI s3Endpoint();

    String region();

    String account();

    String description();

    @Override
    void close();

    /** The variables that point the AWS SDK at this backend. */
    default Map<String, String> environment() {
        return Map.of(
                "AWS_REGION", region(),
                "AWS_ACCESS_KEY_ID", ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY,
                "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint().toString(),
                "AWS_ENDPOINT_URL_SQS", sqsEndpoint().toString(),
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManagerEndpoint().toString(),
                "AWS_ENDPOINT_URL_S3", s3Endpoint().toString());
    }

    /** The backend the {@value #PROPERTY} system property selects; embedded when it is unset. */
    static AwsBackend selected(Optional<Path> dataDir) {
        String choice = System.getProperty(PROPERTY, "embedded");
        return switch (choice) {
            case "embedded" -> EmbeddedAws.start(dataDir);
            case "localstack" -> LocalStackAws.start();
            default -> throw new IllegalArgumentException(PROPERTY + " must be embedded or localstack, not " + choice);
        };
    }
}
