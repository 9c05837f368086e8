package run.creativeai.gateway.adapters;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds every AWS client a function uses, once per container: region and credentials read from the
 * function's environment (nothing discovered at first call), one explicit url-connection HTTP client
 * (the lightest to start) shared by them all, explicit call timeouts. {@code AWS_ENDPOINT_URL_<SERVICE>},
 * the SDK's own variable names, point a client at a local service; on Lambda they are unset.
 */
public final class AwsClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    private static final String S3 = "S3";

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(FunctionEnvironment env) {
        return dynamoDb(env, httpClient());
    }

    /** The same client over another HTTP client ({@code AwsCallsBenchmark} compares the two). */
    public static DynamoDbClient dynamoDb(FunctionEnvironment env, SdkHttpClient http) {
        return configure(DynamoDbClient.builder(), env, "DYNAMODB").httpClient(http).build();
    }

    /**
     * A DynamoDB client that waits up to {@code patience} for a call and never abandons an attempt to
     * retry it, for tests that race many clients against DynamoDB Local on a loaded machine: there a
     * write can take longer than a function's attempt timeout, and its retry would meet the first
     * attempt's effect (a counter added to twice, a condition the first attempt made false).
     */
    static DynamoDbClient patientDynamoDb(FunctionEnvironment env, Duration patience) {
        return configure(DynamoDbClient.builder(), env, "DYNAMODB", patience, patience).httpClient(httpClient()).build();
    }

    public static SqsClient sqs(FunctionEnvironment env) {
        return sqs(env, httpClient());
    }

    /** The same client over another HTTP client ({@code AwsCallsBenchmark} compares the two). */
    public static SqsClient sqs(FunctionEnvironment env, SdkHttpClient http) {
        return configure(SqsClient.builder(), env, "SQS").httpClient(http).build();
    }

    public static SecretsManagerClient secretsManager(FunctionEnvironment env) {
        return configure(SecretsManagerClient.builder(), env, "SECRETS_MANAGER").httpClient(httpClient()).build();
    }

    /**
     * On AWS (no endpoint override) the client keeps the SDK's defaults: virtual-hosted bucket names
     * and a CRC checksum on every upload, which S3 verifies. An S3-compatible local endpoint gets
     * path-style URLs (its buckets are not DNS names) and checksums only where an operation requires
     * one: s3proxy refuses the SDK's trailing checksums, so every PutObject would fail there.
     */
    public static S3Client s3(FunctionEnvironment env) {
        S3ClientBuilder builder = configure(S3Client.builder(), env, S3).httpClient(httpClient());
        if (endpoint(env, S3).isPresent()) {
            builder.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    /**
     * Signs S3 URLs for clients that hold no credentials (uploads, downloads); it makes no call
     * itself. Its URLs point where {@link #s3} does: virtual-hosted https on AWS, path-style on a
     * local endpoint.
     */
    public static S3Presigner s3Presigner(FunctionEnvironment env) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(region(env))
                .credentialsProvider(credentials(env));
        endpoint(env, S3).ifPresent(endpoint -> builder.endpointOverride(endpoint)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return builder.build();
    }

    /**
     * One HTTP client for every AWS client of the process: each url-connection client builds its own
     * TLS context (a trust manager over the JDK's CA certificates) when it is made, which a function of
     * three or four AWS clients paid three or four times at a cold start. It is thread safe, and its
     * connections are the JDK's, pooled per host whichever client made them; the AWS clients never
     * close a client they were given.
     */
    private static SdkHttpClient httpClient() {
        return SharedHttpClient.CLIENT;
    }

    /**
     * Makes the AWS clients' next calls open connections of their own instead of taking those the JDK
     * keeps from before (see {@link RenewableHttpClient}): what a SnapStart snapshot needs, since the
     * connections in it are gone when an instance is restored, while the JDK would offer them for as
     * long as the template's keep-alive time ({@code http.keepAlive.time.server}) after their last use.
     * Nothing to do, and nothing built, when no AWS client has been.
     */
    public static void forgetConnections() {
        if (sharedHttpClientBuilt) {
            SharedHttpClient.CLIENT.renew();
        }
    }

    private static volatile boolean sharedHttpClientBuilt;

    /** Built when the first AWS client is (a holder class: the JVM makes it once, on first use). */
    private static final class SharedHttpClient {
        static final RenewableHttpClient CLIENT = new RenewableHttpClient(() -> new SmallPostsBuffered(
                UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build()));

        static {
            sharedHttpClientBuilt = true;
        }
    }

    private static <B extends AwsClientBuilder<B, C>, C> B configure(B builder, FunctionEnvironment env, String service) {
        return configure(builder, env, service, CALL_TIMEOUT, ATTEMPT_TIMEOUT);
    }

    private static <B extends AwsClientBuilder<B, C>, C> B configure(B builder, FunctionEnvironment env, String service,
            Duration callTimeout, Duration attemptTimeout) {
        builder.region(region(env))
                .credentialsProvider(credentials(env))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(attemptTimeout)
                        .build());
        endpoint(env, service).ifPresent(builder::endpointOverride);
        return builder;
    }

    private static Region region(FunctionEnvironment env) {
        return Region.of(env.required("AWS_REGION"));
    }

    private static Optional<URI> endpoint(FunctionEnvironment env, String service) {
        return env.optional("AWS_ENDPOINT_URL_" + service).or(() -> env.optional("AWS_ENDPOINT_URL")).map(URI::create);
    }

    /**
     * The execution role's credentials: from the environment Lambda sets, from the container
     * credentials endpoint where Lambda provides one instead (SnapStart), else the default chain
     * (a developer's machine running a command against a real account).
     */
    public static AwsCredentialsProvider credentials(FunctionEnvironment env) {
        Optional<String> keyId = env.optional("AWS_ACCESS_KEY_ID");
        if (keyId.isPresent()) {
            String secret = env.required("AWS_SECRET_ACCESS_KEY");
            return StaticCredentialsProvider.create(env.optional("AWS_SESSION_TOKEN")
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(
                            token -> AwsSessionCredentials.create(keyId.get(), secret, token))
                    .orElseGet(() -> AwsBasicCredentials.create(keyId.get(), secret)));
        }
        if (env.optional("AWS_CONTAINER_CREDENTIALS_FULL_URI").isPresent()) {
            return ContainerCredentialsProvider.builder().build();
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
