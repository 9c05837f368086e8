package run.creativeai.local.services;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container, through Testcontainers: the path where a Docker engine exists. Its
 * classes are only on the classpath under the Maven profile {@code localstack}.
 */
final class LocalStackAws implements AwsBackend {
    static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:4.4");

    private final LocalStackContainer container;

    private LocalStackAws(LocalStackContainer container) {
        this.container = container;
    }

    static LocalStackAws start() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new DockerUnavailable();
        }
        LocalStackContainer container = new LocalStackContainer(IMAGE)
                .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS,
                        LocalStackContainer.Service.SECRETSMANAGER, LocalStackContainer.Service.S3)
                .withEnv("SQS_ENDPOINT_STRATEGY", "path");
        container.start();
        return new LocalStackAws(container);
    }

    @Override
    public URI dynamoDbEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI secretsManagerEndpoint() {
        return container.getEndpoint();
    }

    /** Path-style URLs on this endpoint, as the SDK clients use them wherever an endpoint is overridden. */
    @Override
    public URI s3Endpoint() {
        return container.getEndpoint();
    }

    @Override
    public String region() {
        return container.getRegion();
    }

    @Override
    public String account() {
        return "000000000000";
    }

    @Override
    public String description() {
        return "LocalStack " + IMAGE.getVersionPart() + " (Testcontainers)";
    }

    @Override
    public void close() {
        container.stop();
    }
}
