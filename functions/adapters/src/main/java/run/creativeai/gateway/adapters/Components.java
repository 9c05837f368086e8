package run.creativeai.gateway.adapters;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import run.creativeai.gateway.adapters.metrics.EmbeddedMetrics;
import run.creativeai.gateway.adapters.metrics.GatewayMetrics;
import run.creativeai.gateway.adapters.secrets.SecretsManagerSecrets;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What every function's wiring starts from, once per container: the environment template.yaml gives
 * the function (the names of its variables are here), the clock, and the AWS clients, each built once
 * on first use (a function that never talks to SQS never builds an SQS client). The wirings in
 * {@link run.creativeai.gateway.adapters.wiring} turn these into each function's parts.
 */
public final class Components implements AutoCloseable {
    public static final String JOBS_TABLE = "JOBS_TABLE";
    public static final String WORKFLOWS_TABLE = "WORKFLOWS_TABLE";
    public static final String API_KEYS_TABLE = "API_KEYS_TABLE";
    public static final String LIMITS_TABLE = "LIMITS_TABLE";
    public static final String ACCOUNTS_TABLE = "ACCOUNTS_TABLE";
    public static final String WEBHOOK_DEDUP_TABLE = "WEBHOOK_DEDUP_TABLE";
    public static final String ENTERPRISE_QUEUE_URL = "ENTERPRISE_QUEUE_URL";
    public static final String PRO_QUEUE_URL = "PRO_QUEUE_URL";
    public static final String FREE_QUEUE_URL = "FREE_QUEUE_URL";
    public static final String PROGRESS_QUEUE_URL = "PROGRESS_QUEUE_URL";
    public static final String WEBHOOK_QUEUE_URL = "WEBHOOK_QUEUE_URL";
    public static final String API_KEY_PEPPER_SECRET = "API_KEY_PEPPER_SECRET";
    public static final String PROVIDER_CREDENTIALS_SECRET = "PROVIDER_CREDENTIALS_SECRET";
    public static final String WEBHOOK_SECRET_PREFIX = "WEBHOOK_SECRET_PREFIX";
    public static final String PROVIDER_ENDPOINTS = "PROVIDER_ENDPOINTS";
    public static final String PLAN_CONFIG = "PLAN_CONFIG";
    public static final String ALLOW_LOOPBACK_WEBHOOKS = "ALLOW_LOOPBACK_WEBHOOKS";
    public static final String WEBHOOK_SIGNATURE_HEADER = "WEBHOOK_SIGNATURE_HEADER";
    public static final String JOB_RETENTION_DAYS = "JOB_RETENTION_DAYS";
    public static final String MAX_PENDING_JOBS = "MAX_PENDING_JOBS";
    public static final String PROVIDER_CIRCUITS_TABLE = "PROVIDER_CIRCUITS_TABLE";
    public static final String CALLBACK_BASE_URL = "CALLBACK_BASE_URL";
    public static final String PROVIDER_WEBHOOK_SECRETS = "PROVIDER_WEBHOOK_SECRETS";
    public static final String PROVIDER_SLOTS_PER_SHARD = "PROVIDER_SLOTS_PER_SHARD";
    public static final String PROVIDER_CAPACITY = "PROVIDER_CAPACITY";
    public static final String PRIORITY_MINIMUM_SHARE = "PRIORITY_MINIMUM_SHARE";
    public static final String CIRCUIT_COOL_DOWN_SECONDS = "CIRCUIT_COOL_DOWN_SECONDS";
    public static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
    public static final String RECONCILE_AFTER_SECONDS = "RECONCILE_AFTER_SECONDS";
    public static final String STANDARD_TIER_VIDEO_JOBS = "STANDARD_TIER_VIDEO_JOBS";
    public static final String STANDARD_TIER_IMAGE_JOBS = "STANDARD_TIER_IMAGE_JOBS";
    public static final String TIER_CAP_SHARDS = "TIER_CAP_SHARDS";
    public static final String STATUS_TABLE = "STATUS_TABLE";
    public static final String STATUS_QUEUE_AGE_SECONDS = "STATUS_QUEUE_AGE_SECONDS";
    public static final String OUTPUTS_BUCKET = "OUTPUTS_BUCKET";
    public static final String OUTPUT_URL_SECONDS = "OUTPUT_URL_SECONDS";
    public static final String OUTPUT_RETENTION_DAYS = "OUTPUT_RETENTION_DAYS";
    public static final String UPLOADS_BUCKET = "UPLOADS_BUCKET";
    public static final String UPLOADS_TABLE = "UPLOADS_TABLE";
    public static final String UPLOAD_RETENTION_DAYS = "UPLOAD_RETENTION_DAYS";

    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";

    /** How long a function serves a secret value before reading it again: rotations show within it. */
    public static final Duration SECRET_CACHE = Duration.ofMinutes(5);

    private final FunctionEnvironment env;
    private final Clock clock;
    private final Consumer<String> metricLines;
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private SecretsManagerClient secretsManager;
    private S3Client s3;
    private S3Presigner s3Presigner;
    private AwsCredentialsProvider credentials;
    private SecretsManagerSecrets secrets;
    private GatewayMetrics metrics;

    public Components(FunctionEnvironment env, Clock clock) {
        // System.out looked up at each write, not bound once: whoever redirects standard output gets the lines.
        this(env, clock, line -> System.out.println(line));
    }

    /** The same, with the metrics' lines written to {@code metricLines} (a rehearsal's go nowhere). */
    public Components(FunctionEnvironment env, Clock clock, Consumer<String> metricLines) {
        this.env = env;
        this.clock = clock;
        this.metricLines = metricLines;
    }

    public FunctionEnvironment environment() {
        return env;
    }

    public Clock clock() {
        return clock;
    }

    public String region() {
        return env.required("AWS_REGION");
    }

    /** The gateway's metrics, written in Embedded Metric Format to standard output under {@code METRICS_NAMESPACE}. */
    public synchronized GatewayMetrics metrics() {
        if (metrics == null) {
            metrics = new GatewayMetrics(new EmbeddedMetrics(env.required(METRICS_NAMESPACE), metricLines, clock));
        }
        return metrics;
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamo == null) {
            dynamo = AwsClients.dynamoDb(env);
        }
        return dynamo;
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = AwsClients.sqs(env);
        }
        return sqs;
    }

    public synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = AwsClients.secretsManager(env);
        }
        return secretsManager;
    }

    public synchronized S3Client s3() {
        if (s3 == null) {
            s3 = AwsClients.s3(env);
        }
        return s3;
    }

    /** The credentials the AWS clients sign with; the same provider, so presigned URLs carry the role's own. */
    public synchronized AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = AwsClients.credentials(env);
        }
        return credentials;
    }

    public synchronized S3Presigner s3Presigner() {
        if (s3Presigner == null) {
            s3Presigner = AwsClients.s3Presigner(env);
        }
        return s3Presigner;
    }

    /** Secret values through a cache of {@link #SECRET_CACHE}, shared by everything of the container that reads secrets. */
    public synchronized SecretsManagerSecrets secrets() {
        if (secrets == null) {
            secrets = new SecretsManagerSecrets(secretsManager(), clock, SECRET_CACHE);
        }
        return secrets;
    }

    /**
     * Closes the AWS clients built so far (each holds a scheduler thread for its call timeouts); the
     * shared HTTP client under them stays open for the rest. A function's own components live as long
     * as its container; a rehearsal's are closed when it ends.
     */
    @Override
    public synchronized void close() {
        for (AutoCloseable client : new AutoCloseable[] {dynamo, sqs, secretsManager, s3, s3Presigner}) {
            if (client != null) {
                try {
                    client.close();
                } catch (Exception e) {
                    throw new IllegalStateException("an AWS client did not close", e);
                }
            }
        }
    }
}
