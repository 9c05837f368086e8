package run.creativeai.gateway.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbApiKeys;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbCircuitBreaker;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbDeliveryLedger;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbIdempotencyStore;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbLimiter;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbSlotPool;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbUnsettledJobs;
import run.creativeai.gateway.adapters.sqs.DeadLetterRedrive;
import run.creativeai.gateway.adapters.http.HttpWebhookTransport;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.metrics.EmbeddedMetrics;
import run.creativeai.gateway.adapters.metrics.GatewayMetrics;
import run.creativeai.gateway.adapters.metrics.Metered;
import run.creativeai.gateway.dispatch.JobEndings;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.webhook.WebhookNotifier;
import run.creativeai.gateway.webhook.WebhookSchedule;
import run.creativeai.gateway.webhook.WebhookTransport;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.adapters.providers.ProviderClients;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.adapters.providers.fal.FalWebhookVerifier;
import run.creativeai.gateway.adapters.secrets.SecretsManagerSecrets;
import run.creativeai.gateway.adapters.secrets.TenantSigningSecrets;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.adapters.sqs.SqsProgressQueue;
import run.creativeai.gateway.adapters.sqs.SqsQueue;
import run.creativeai.gateway.adapters.sqs.SqsWebhookQueue;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.gateway.dispatch.CancelQueue;
import run.creativeai.gateway.dispatch.JobQueue;
import run.creativeai.gateway.dispatch.ProviderCallbacks;
import run.creativeai.gateway.dispatch.ProgressQueue;
import run.creativeai.gateway.dispatch.Resumptions;
import run.creativeai.gateway.reconcile.UnsettledJobs;
import run.creativeai.gateway.idempotency.IdempotencyStore;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitPolicy;
import run.creativeai.gateway.provider.GuardedProviders;
import run.creativeai.gateway.provider.ProviderDirectory;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.tenant.TenantAdministration;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.webhook.DeliveryLedger;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.HostResolver;
import run.creativeai.gateway.webhook.WebhookQueue;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root every function builds its parts from, once per container. It knows the
 * names of the environment variables template.yaml sets, and nothing else reads the environment:
 * a function that asks for a part its template entry does not configure fails at init, naming the
 * missing variable.
 */
public final class Components {
    public static final String JOBS_TABLE = "JOBS_TABLE";
    public static final String API_KEYS_TABLE = "API_KEYS_TABLE";
    public static final String LIMITS_TABLE = "LIMITS_TABLE";
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
    public static final String PROVIDER_CAPACITY = "PROVIDER_CAPACITY";
    public static final String PRIORITY_MINIMUM_SHARE = "PRIORITY_MINIMUM_SHARE";
    public static final String CIRCUIT_COOL_DOWN_SECONDS = "CIRCUIT_COOL_DOWN_SECONDS";
    public static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
    public static final String RECONCILE_AFTER_SECONDS = "RECONCILE_AFTER_SECONDS";

    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";

    /** Share of each provider's slots that pro and free work may always hold, when the template does not say. */
    public static final double DEFAULT_PRIORITY_MINIMUM_SHARE = 0.1;

    /** How long a function serves a secret value before reading it again: rotations show within it. */
    public static final Duration SECRET_CACHE = Duration.ofMinutes(5);

    private final FunctionEnvironment env;
    private final Clock clock;
    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private SecretsManagerClient secretsManager;
    private S3Client s3;
    private S3Presigner s3Presigner;
    private SecretsManagerSecrets secrets;
    private GatewayMetrics metrics;

    public Components(FunctionEnvironment env, Clock clock) {
        this.env = env;
        this.clock = clock;
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

    /** The plans, checked against the model catalogue: a plan configuration error stops the function at init. */
    public PlanCatalog plans() {
        return PlanCatalog.configured(env.optional(PLAN_CONFIG), models());
    }

    public ModelCatalog models() {
        return ModelCatalog.defaults();
    }

    /** The jobs table; each job read or written is noted on the log context of the thread. */
    public JobStore jobStore() {
        return LogContext.noting(new DynamoDbJobStore(dynamo(), env.required(JOBS_TABLE),
                Duration.ofDays(env.integer(JOB_RETENTION_DAYS, 30))));
    }

    /** The limiter; every admission decision is metered (admitted, or refused by its rule). */
    public Limiter limiter() {
        return Metered.limiter(new DynamoDbLimiter(dynamo(), env.required(LIMITS_TABLE)), metrics());
    }

    /** The gateway's metrics, written in Embedded Metric Format to standard output under {@code METRICS_NAMESPACE}. */
    public synchronized GatewayMetrics metrics() {
        if (metrics == null) {
            // System.out looked up at each write, not bound once: whoever redirects standard output gets the lines.
            metrics = new GatewayMetrics(new EmbeddedMetrics(env.required(METRICS_NAMESPACE),
                    line -> System.out.println(line), clock));
        }
        return metrics;
    }

    /** What happens when a job ends: its webhook is scheduled, and its queue wait and failover are metered. */
    public JobEndings jobEndings() {
        return Metered.jobEndings(new WebhookNotifier(webhookQueue(), WebhookSchedule.standard(), clock), metrics());
    }

    /** The webhook HTTP client behind the URL policy; every attempt and its outcome is metered. */
    public WebhookTransport webhookTransport() {
        return Metered.webhookTransport(new HttpWebhookTransport(webhookUrlPolicy(), clock), metrics());
    }

    /** Concurrency slots, in the limit counters table beside the counters. */
    public SlotPool slotPool() {
        return new DynamoDbSlotPool(dynamo(), env.required(LIMITS_TABLE));
    }

    /** Each tenant's concurrent tasks, as slots leased for the longest a job can run. */
    public TenantConcurrency tenantConcurrency(PlanCatalog plans, ModelCatalog models) {
        return TenantConcurrency.standard(slotPool(), plans, models, PollSchedule.standard());
    }

    /**
     * Each provider's slots, by tier priority: the catalogue's capacities overridden by
     * {@code PROVIDER_CAPACITY}, and the share lower tiers always keep from {@code PRIORITY_MINIMUM_SHARE}.
     * Slots live in the limit counters table beside the tenants' ones.
     */
    public ProviderCapacity providerCapacity(ModelCatalog models) {
        return ProviderCapacity.configured(slotPool(), models, env.optional(PROVIDER_CAPACITY), minimumShare(),
                PollSchedule.standard());
    }

    private double minimumShare() {
        String value = env.optional(PRIORITY_MINIMUM_SHARE).orElse(Double.toString(DEFAULT_PRIORITY_MINIMUM_SHARE));
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("environment variable " + PRIORITY_MINIMUM_SHARE
                    + " is not a number from 0 to 1: " + value);
        }
    }

    /** Seed 000/002's queue-depth limit: 503 past {@code MAX_PENDING_JOBS} (10,000 unless set) waiting in a tier's queue. */
    public QueueBackpressure queueBackpressure() {
        SqsJobQueue queue = jobQueue();
        return new QueueBackpressure(queue::pending,
                env.integer(MAX_PENDING_JOBS, (int) QueueBackpressure.DEFAULT_MAX_PENDING), clock);
    }

    public DynamoDbApiKeys apiKeys() {
        return new DynamoDbApiKeys(dynamo(), env.required(API_KEYS_TABLE));
    }

    /** The creation routes' Idempotency-Key records. */
    public IdempotencyStore idempotencyStore() {
        return new DynamoDbIdempotencyStore(dynamo(), env.required(IDEMPOTENCY_TABLE));
    }

    /** The keys as authentication reads them: the tenant of each key found is noted on the log context. */
    public ApiKeyDirectory apiKeyDirectory() {
        return LogContext.noting(apiKeys());
    }

    public DeliveryLedger deliveryLedger() {
        return new DynamoDbDeliveryLedger(dynamo(), env.required(WEBHOOK_DEDUP_TABLE));
    }

    public SqsJobQueue jobQueue() {
        Map<Tier, SqsQueue> queues = new EnumMap<>(Tier.class);
        queues.put(Tier.ENTERPRISE, new SqsQueue(sqs(), env.required(ENTERPRISE_QUEUE_URL)));
        queues.put(Tier.PRO, new SqsQueue(sqs(), env.required(PRO_QUEUE_URL)));
        queues.put(Tier.FREE, new SqsQueue(sqs(), env.required(FREE_QUEUE_URL)));
        return new SqsJobQueue(queues);
    }

    public ProgressQueue progressQueue() {
        return new SqsProgressQueue(new SqsQueue(sqs(), env.required(PROGRESS_QUEUE_URL)));
    }

    /** Cancellations the ingress hands to the dispatcher, on the progress queue. */
    public CancelQueue cancelQueue() {
        return new SqsProgressQueue(new SqsQueue(sqs(), env.required(PROGRESS_QUEUE_URL)));
    }

    public WebhookQueue webhookQueue() {
        return new SqsWebhookQueue(new SqsQueue(sqs(), env.required(WEBHOOK_QUEUE_URL)));
    }

    // ---- Crash recovery: the reconciler and what it sends.

    /** The jobs table's index of jobs with a step left. */
    public UnsettledJobs unsettledJobs() {
        return new DynamoDbUnsettledJobs(dynamo(), env.required(JOBS_TABLE));
    }

    /** Resumptions go to the dispatcher on its progress queue. */
    public Resumptions resumptions() {
        return new SqsProgressQueue(new SqsQueue(sqs(), env.required(PROGRESS_QUEUE_URL)));
    }

    /** The dead-letter queues behind every queue this environment names, for the redrive command. */
    public DeadLetterRedrive deadLetterRedrive() {
        List<String> urls = new ArrayList<>();
        for (String name : List.of(ENTERPRISE_QUEUE_URL, PRO_QUEUE_URL, FREE_QUEUE_URL, PROGRESS_QUEUE_URL,
                WEBHOOK_QUEUE_URL)) {
            env.optional(name).ifPresent(urls::add);
        }
        return new DeadLetterRedrive(sqs(), urls);
    }

    /** How long a job may rest between two steps before the reconciler takes it for stuck (5 minutes unless set). */
    public Duration reconcileAfter() {
        return Duration.ofSeconds(env.integer(RECONCILE_AFTER_SECONDS, 300));
    }

    /** Tenant administration, for the tools that run beside the functions (local seeding, key management). */
    public TenantAdministration tenantAdministration() {
        return new TenantAdministration(apiKeyHasher(), apiKeys(), signingSecrets(), plans(), IdSource.random(clock));
    }

    public ApiKeyHasher apiKeyHasher() {
        return new ApiKeyHasher(secrets().value(env.required(API_KEY_PEPPER_SECRET)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every provider's client, behind its circuit (shared by all instances through DynamoDB). The
     * calls that reach a provider are metered (latency, errors), and so is the circuit state each call finds.
     */
    public ProviderDirectory providers(ModelCatalog models) {
        String credentialsSecret = env.required(PROVIDER_CREDENTIALS_SECRET);
        ProviderDirectory clients = ProviderClients.build(models, env.required(PROVIDER_ENDPOINTS),
                () -> secrets().value(credentialsSecret));
        return new GuardedProviders(Metered.providers(clients, metrics(), clock), Metered.circuits(circuits(), metrics()),
                clock);
    }

    /** The providers' circuits, one item per provider in the circuits table, shared by every instance. */
    public CircuitBreaker circuits() {
        return new DynamoDbCircuitBreaker(dynamo(), env.required(PROVIDER_CIRCUITS_TABLE), circuitPolicy());
    }

    /** The standard circuit policy, with the cool-down of {@code CIRCUIT_COOL_DOWN_SECONDS} when set. */
    public CircuitPolicy circuitPolicy() {
        CircuitPolicy standard = CircuitPolicy.standard();
        int coolDown = env.integer(CIRCUIT_COOL_DOWN_SECONDS, (int) standard.coolDown().toSeconds());
        if (coolDown < 1) {
            throw new ConfigurationException("environment variable " + CIRCUIT_COOL_DOWN_SECONDS + " must be at least 1");
        }
        return new CircuitPolicy(standard.failureThreshold(), Duration.ofSeconds(coolDown), standard.probeTimeout());
    }

    /** Where providers announce the end of attempts; absent when the deployment has no public base URL. */
    public CallbackUrls callbackUrls() {
        return new CallbackUrls(env.optional(CALLBACK_BASE_URL).map(URI::create));
    }

    /**
     * How each provider's callbacks are verified, from a JSON object keyed by provider name: a
     * {@code whsec_} string for Standard Webhooks signatures (Replicate), or {@code {"jwks_url": ...}}
     * for fal's Ed25519 signatures. Built once per provider and container.
     */
    public ProviderCallbacks.Verifiers providerCallbackVerifiers() {
        String secretId = env.required(PROVIDER_WEBHOOK_SECRETS);
        Map<String, Optional<ProviderCallbacks.Verifier>> built = new ConcurrentHashMap<>();
        return provider -> built.computeIfAbsent(provider, name -> {
            JsonNode entry = Json.read(secrets().value(secretId)).path(name);
            if (entry.isTextual() && entry.asText().startsWith("whsec_")) {
                return Optional.of(ProviderCallbacks.standardWebhooks(new SigningSecret(entry.asText())));
            }
            if (entry.path("jwks_url").isTextual()) {
                return Optional.of(new FalWebhookVerifier(ProviderHttp.standard(), URI.create(entry.path("jwks_url").asText())));
            }
            return Optional.empty();
        });
    }

    public TenantSigningSecrets signingSecrets() {
        return new TenantSigningSecrets(secrets(), secretsManager(), env.required(WEBHOOK_SECRET_PREFIX));
    }

    /**
     * Production: public https endpoints, names resolved by DNS. The local cloud (the template's
     * AllowLoopbackWebhooks): loopback only, so no delivery and no name lookup leaves the machine.
     */
    public WebhookUrlPolicy webhookUrlPolicy() {
        return env.flag(ALLOW_LOOPBACK_WEBHOOKS) ? WebhookUrlPolicy.loopbackOnly()
                : WebhookUrlPolicy.publicInternet(HostResolver.system());
    }

    public String webhookSignatureHeader() {
        return env.optional(WEBHOOK_SIGNATURE_HEADER).orElse("X-CreativeAI-Signature");
    }

    private synchronized DynamoDbClient dynamo() {
        if (dynamo == null) {
            dynamo = AwsClients.dynamoDb(env);
        }
        return dynamo;
    }

    private synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = AwsClients.sqs(env);
        }
        return sqs;
    }

    private synchronized SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            secretsManager = AwsClients.secretsManager(env);
        }
        return secretsManager;
    }

    private synchronized S3Client s3() {
        if (s3 == null) {
            s3 = AwsClients.s3(env);
        }
        return s3;
    }

    private synchronized S3Presigner s3Presigner() {
        if (s3Presigner == null) {
            s3Presigner = AwsClients.s3Presigner(env);
        }
        return s3Presigner;
    }

    private synchronized SecretsManagerSecrets secrets() {
        if (secrets == null) {
            secrets = new SecretsManagerSecrets(secretsManager(), clock, SECRET_CACHE);
        }
        return secrets;
    }
}
