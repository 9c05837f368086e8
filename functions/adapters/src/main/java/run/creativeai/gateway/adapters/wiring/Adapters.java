package run.creativeai.gateway.adapters.wiring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbApiKeys;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbCircuitBreaker;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbAccounts;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbSettlementLedger;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbSlotPool;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbTrainedModels;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.metrics.Metered;
import run.creativeai.gateway.adapters.s3.S3OutputSigner;
import run.creativeai.gateway.adapters.s3.S3MediaStore;
import run.creativeai.gateway.adapters.secrets.TenantSigningSecrets;
import run.creativeai.gateway.adapters.sqs.DeadLetterRedrive;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.adapters.sqs.SqsProgressQueue;
import run.creativeai.gateway.adapters.sqs.SqsQueue;
import run.creativeai.gateway.adapters.sqs.SqsWebhookQueue;
import run.creativeai.gateway.billing.CreditSettlement;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.JobEndings;
import run.creativeai.gateway.job.JobStarts;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.Creation;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.media.MediaLimits;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitPolicy;
import run.creativeai.gateway.tenant.ApiKeyHasher;
import run.creativeai.gateway.training.TrainedModels;
import run.creativeai.gateway.training.TrainingResults;
import run.creativeai.gateway.webhook.HostResolver;
import run.creativeai.gateway.webhook.WebhookNotifier;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbLimiter;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbWorkflowStore;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.workflow.WorkflowNotifier;
import run.creativeai.gateway.workflow.WorkflowRunner;
import run.creativeai.gateway.workflow.TenantWorkflowSlots;
import run.creativeai.gateway.workflow.WorkflowStepEndings;
import run.creativeai.gateway.workflow.WorkflowStore;

/**
 * The adapters more than one function is wired from, each built from the environment variable
 * template.yaml sets for it and a client of {@link Components}. A function whose template entry
 * lacks the variable fails at init, naming it. Nothing here is kept: each wiring builds what it
 * needs once, at construction.
 */
public final class Adapters {
    /** The variable that names each tier's queue. */
    static final Map<Tier, String> TIER_QUEUE_URLS = Map.of(Tier.ENTERPRISE, Components.ENTERPRISE_QUEUE_URL,
            Tier.PRO, Components.PRO_QUEUE_URL, Tier.FREE, Components.FREE_QUEUE_URL);

    /** How long an output's download URL works when the template does not say. */
    public static final Duration DEFAULT_OUTPUT_URL_VALIDITY = Duration.ofHours(1);
    /** The longest a SigV4 presigned URL can be valid. */
    static final Duration MAX_OUTPUT_URL_VALIDITY = Duration.ofDays(7);

    private Adapters() {
    }

    /** The jobs table; each job read or written is noted on the log context of the thread. */
    public static JobStore jobs(Components c) {
        return LogContext.noting(jobTable(c));
    }

    /** The jobs table itself, for an adapter that writes a job in a transaction of its own. */
    public static DynamoDbJobStore jobTable(Components c) {
        FunctionEnvironment env = c.environment();
        return new DynamoDbJobStore(c.dynamoDb(), env.required(Components.JOBS_TABLE),
                Duration.ofDays(env.integer(Components.JOB_RETENTION_DAYS, 30)));
    }

    /** The tier queues, one per priority class. */
    public static SqsJobQueue tierQueues(Components c) {
        Map<Tier, SqsQueue> queues = new EnumMap<>(Tier.class);
        TIER_QUEUE_URLS.forEach((tier, variable) ->
                queues.put(tier, new SqsQueue(c::sqs, c.environment().required(variable))));
        return new SqsJobQueue(queues);
    }

    /** The dispatcher's own queue: progress checks, cancellations and resumptions all travel on it. */
    public static SqsProgressQueue progressQueue(Components c) {
        return new SqsProgressQueue(new SqsQueue(c::sqs, c.environment().required(Components.PROGRESS_QUEUE_URL)));
    }

    public static SqsWebhookQueue webhookQueue(Components c) {
        return new SqsWebhookQueue(new SqsQueue(c::sqs, c.environment().required(Components.WEBHOOK_QUEUE_URL)));
    }

    /**
     * What happens when a job ends: a workflow's step moves its workflow on, its webhook is scheduled,
     * and its queue wait and failover are metered.
     */
    public static JobEndings jobEndings(Components c) {
        // A training's model is recorded before its end is announced, so a customer told can use it at once.
        return new WorkflowStepEndings(new TrainingResults(trainedModels(c),
                Metered.jobEndings(new WebhookNotifier(webhookQueue(c)), c.metrics())), progressQueue(c));
    }

    /** Tenants' trained models, in the accounts table. */
    public static TrainedModels trainedModels(Components c) {
        return new DynamoDbTrainedModels(c.dynamoDb(), c.environment().required(Components.ACCOUNTS_TABLE));
    }

    /** The workflows table; ended workflows are kept as long as jobs ({@code JOB_RETENTION_DAYS}). */
    public static WorkflowStore workflows(Components c) {
        FunctionEnvironment env = c.environment();
        return new DynamoDbWorkflowStore(c.dynamoDb(), env.required(Components.WORKFLOWS_TABLE),
                Duration.ofDays(env.integer(Components.JOB_RETENTION_DAYS, 30)), c.clock());
    }

    /** Seed 000/002's queue-depth limit: 503 past {@code MAX_PENDING_JOBS} (10,000 unless set) waiting in a tier's queue. */
    public static QueueBackpressure backpressure(Components c, SqsJobQueue tierQueues) {
        return new QueueBackpressure(tierQueues::pending,
                c.environment().integer(Components.MAX_PENDING_JOBS, (int) QueueBackpressure.DEFAULT_MAX_PENDING), c.clock());
    }

    /**
     * Admission at the door, and of a workflow's steps when they become ready: every admission decision
     * is metered (admitted, or refused by its rule or for credits); the limiter reserves credits in the
     * accounts table in the same write as the limit counters.
     */
    public static AdmissionService admissions(Components c, Catalogues catalogues, SqsJobQueue tierQueues,
            QueueBackpressure backpressure) {
        return admissions(c, catalogues, tierQueues, backpressure, limiter -> Metered.limiter(limiter, c.metrics()));
    }

    /**
     * The same admission as a priming rehearses it, for a tenant with no credits: no metric of its
     * decisions (its refusal is no tenant's), and no decision at all on a request that reserves no
     * credits (it throws), since only the reservation's condition keeps such a rehearsal from writing.
     */
    public static AdmissionService rehearsalAdmissions(Components c, Catalogues catalogues, SqsJobQueue tierQueues,
            QueueBackpressure backpressure) {
        return admissions(c, catalogues, tierQueues, backpressure, limiter -> new Limiter() {
            @Override
            public AdmissionDecision admit(List<LimitCharge> charges, Optional<CreditReservation> credits, Instant now) {
                return limiter.admit(charges, reserving(credits), now);
            }

            @Override
            public AdmissionDecision admitCreating(List<LimitCharge> charges, Optional<CreditReservation> credits,
                    Creation created, Instant now) {
                return limiter.admitCreating(charges, reserving(credits), created, now);
            }

            @Override
            public List<LimitState> peek(List<LimitCharge> charges, Instant now) {
                return limiter.peek(charges, now);
            }

            private Optional<CreditReservation> reserving(Optional<CreditReservation> credits) {
                if (credits.isEmpty()) {
                    throw new IllegalStateException("a rehearsed admission must reserve credits, or it could write");
                }
                return credits;
            }
        });
    }

    private static AdmissionService admissions(Components c, Catalogues catalogues, SqsJobQueue tierQueues,
            QueueBackpressure backpressure, UnaryOperator<Limiter> metering) {
        FunctionEnvironment env = c.environment();
        return new AdmissionService(new AdmissionPolicy(),
                LogContext.noting(metering.apply(new DynamoDbLimiter(c.dynamoDb(), env.required(Components.LIMITS_TABLE),
                        env.required(Components.ACCOUNTS_TABLE), jobTable(c)))),
                jobs(c), tierQueues, catalogues.models(), catalogues.prices(), settlements(c), backpressure,
                IdSource.random(c.clock()), c.clock(), progressQueue(c));
    }

    /** A customer's cancel of a job (a workflow's cancel uses it for the steps still running). */
    public static JobCancellation jobCancellation(Components c, TenantConcurrency concurrency) {
        return new JobCancellation(jobs(c), concurrency, jobEndings(c), progressQueue(c), settlements(c), c.clock());
    }

    /**
     * What moves workflows on and cancels them; its messages travel on the dispatcher's progress queue.
     * It takes the function's own tenant concurrency and job cancellation, so the wiring builds each once.
     */
    public static WorkflowRunner workflowRunner(Components c, Catalogues catalogues, AdmissionService admissions,
            TenantConcurrency concurrency, JobCancellation cancellation) {
        return new WorkflowRunner(workflows(c), jobs(c), admissions, catalogues.plans(), cancellation,
                new TenantWorkflowSlots(concurrency), progressQueue(c), new WorkflowNotifier(webhookQueue(c)), c.clock());
    }

    /** What happens when a provider first accepts a job: its {@code generation.started} event, if subscribed. */
    public static JobStarts jobStarts(Components c) {
        return new WebhookNotifier(webhookQueue(c));
    }

    /** Slots (tenants' and providers'), in the limit counters table beside the counters. */
    public static SlotPool slots(Components c) {
        return new DynamoDbSlotPool(c.dynamoDb(), c.environment().required(Components.LIMITS_TABLE));
    }

    /** Seed 000's standard-tier caps, unless the template says otherwise: jobs of each kind at once. */
    public static final int DEFAULT_STANDARD_TIER_VIDEO_JOBS = 100;
    public static final int DEFAULT_STANDARD_TIER_IMAGE_JOBS = 500;
    /** LoRA trainings the standard tier runs at once: each holds a trainer for minutes. */
    public static final int DEFAULT_STANDARD_TIER_TRAINING_JOBS = 20;
    /** Pools each cap is split over, unless {@code TIER_CAP_SHARDS} says ({@link run.creativeai.gateway.concurrency.TierCaps}). */
    public static final int DEFAULT_TIER_CAP_SHARDS = 16;

    /**
     * Each tenant's concurrent tasks, as slots leased for the longest a job can run, and the standard
     * tier's caps ({@code STANDARD_TIER_VIDEO_JOBS}, {@code STANDARD_TIER_IMAGE_JOBS}, split over
     * {@code TIER_CAP_SHARDS} pools). Every function that gives slots back reads the same shard count,
     * so a slot is given back where it was taken.
     */
    public static TenantConcurrency tenantConcurrency(Components c, Catalogues catalogues) {
        FunctionEnvironment env = c.environment();
        Map<JobKind, Long> caps = Map.of(
                JobKind.VIDEO, (long) env.integer(Components.STANDARD_TIER_VIDEO_JOBS, DEFAULT_STANDARD_TIER_VIDEO_JOBS),
                JobKind.IMAGE, (long) env.integer(Components.STANDARD_TIER_IMAGE_JOBS, DEFAULT_STANDARD_TIER_IMAGE_JOBS),
                JobKind.TRAINING, (long) DEFAULT_STANDARD_TIER_TRAINING_JOBS);
        try {
            return TenantConcurrency.standard(slots(c), catalogues.plans(), catalogues.models(), PollSchedule.standard(),
                    caps, env.integer(Components.TIER_CAP_SHARDS, DEFAULT_TIER_CAP_SHARDS));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    /**
     * Settles ended jobs' credits and usage, once each, in the accounts table (and gives refunds back
     * to keys' daily budgets in the counters table).
     */
    public static Settlements settlements(Components c) {
        FunctionEnvironment env = c.environment();
        return new CreditSettlement(new DynamoDbSettlementLedger(c.dynamoDb(), env.required(Components.ACCOUNTS_TABLE),
                env.required(Components.LIMITS_TABLE), c.clock()), c.clock());
    }

    public static DynamoDbAccounts accounts(Components c) {
        return new DynamoDbAccounts(c.dynamoDb(), c.environment().required(Components.ACCOUNTS_TABLE));
    }

    public static DynamoDbApiKeys apiKeys(Components c) {
        return new DynamoDbApiKeys(c.dynamoDb(), c.environment().required(Components.API_KEYS_TABLE));
    }

    /** Keys are hashed under the pepper secret, read now: a missing pepper stops the function at init. */
    public static ApiKeyHasher apiKeyHasher(Components c) {
        String pepper = c.secrets().value(c.environment().required(Components.API_KEY_PEPPER_SECRET));
        return new ApiKeyHasher(pepper.getBytes(StandardCharsets.UTF_8));
    }

    public static TenantSigningSecrets signingSecrets(Components c) {
        return new TenantSigningSecrets(c.secrets(), c.secretsManager(),
                c.environment().required(Components.WEBHOOK_SECRET_PREFIX));
    }

    /**
     * Production: public https endpoints, names resolved by DNS. The local cloud (the template's
     * AllowLoopbackWebhooks): loopback only, so no delivery and no name lookup leaves the machine.
     */
    public static WebhookUrlPolicy webhookUrlPolicy(Components c) {
        return c.environment().flag(Components.ALLOW_LOOPBACK_WEBHOOKS) ? WebhookUrlPolicy.loopbackOnly()
                : WebhookUrlPolicy.publicInternet(HostResolver.system());
    }

    /**
     * The providers' circuits, one item per provider in the circuits table, shared by every instance:
     * the standard policy, with the cool-down of {@code CIRCUIT_COOL_DOWN_SECONDS} when set.
     */
    public static CircuitBreaker circuits(Components c) {
        CircuitPolicy standard = CircuitPolicy.standard();
        int coolDown = c.environment().integer(Components.CIRCUIT_COOL_DOWN_SECONDS, (int) standard.coolDown().toSeconds());
        if (coolDown < 1) {
            throw new ConfigurationException("environment variable " + Components.CIRCUIT_COOL_DOWN_SECONDS
                    + " must be at least 1");
        }
        return new DynamoDbCircuitBreaker(c.dynamoDb(), c.environment().required(Components.PROVIDER_CIRCUITS_TABLE),
                new CircuitPolicy(standard.failureThreshold(), Duration.ofSeconds(coolDown), standard.probeTimeout()));
    }

    /**
     * Download links of the outputs bucket's objects, valid {@code OUTPUT_URL_SECONDS} (an hour unless
     * set), over a bucket that keeps them {@code OUTPUT_RETENTION_DAYS} (30 unless set).
     */
    public static OutputLinks outputLinks(Components c) {
        FunctionEnvironment env = c.environment();
        int seconds = env.integer(Components.OUTPUT_URL_SECONDS, (int) DEFAULT_OUTPUT_URL_VALIDITY.toSeconds());
        if (seconds < 1 || seconds > MAX_OUTPUT_URL_VALIDITY.toSeconds()) {
            throw new ConfigurationException("environment variable " + Components.OUTPUT_URL_SECONDS
                    + " must be from 1 to " + MAX_OUTPUT_URL_VALIDITY.toSeconds() + " (SigV4's longest, 7 days)");
        }
        int days = env.integer(Components.OUTPUT_RETENTION_DAYS, 30);
        if (days < 1) {
            throw new ConfigurationException("environment variable " + Components.OUTPUT_RETENTION_DAYS
                    + " must be at least 1");
        }
        return new OutputLinks(new S3OutputSigner(c::s3Presigner, c.credentials(),
                env.required(Components.OUTPUTS_BUCKET)), Duration.ofSeconds(seconds), days);
    }

    /** The uploads bucket named by {@code UPLOADS_BUCKET}: presigned URLs, and the gateway's own reads and copies. */
    public static S3MediaStore uploadsBucket(Components c) {
        return new S3MediaStore(c::s3, c::s3Presigner, c.credentials(), c.environment().required(Components.UPLOADS_BUCKET),
                c.clock());
    }

    /**
     * What an input image may be; an upload may be named by jobs for {@code UPLOAD_RETENTION_DAYS}
     * (the template's UploadRetentionDays, after which the bucket's lifecycle rule deletes it).
     */
    public static MediaLimits mediaLimits(Components c) {
        int days = c.environment().integer(Components.UPLOAD_RETENTION_DAYS, 1);
        if (days < 1) {
            throw new ConfigurationException("environment variable " + Components.UPLOAD_RETENTION_DAYS
                    + " must be at least 1");
        }
        return MediaLimits.standard(Duration.ofDays(days));
    }

    /** The dead-letter queues behind every queue this environment names, for the redrive command. */
    public static DeadLetterRedrive deadLetterRedrive(Components c) {
        List<String> urls = new ArrayList<>();
        for (String name : List.of(Components.ENTERPRISE_QUEUE_URL, Components.PRO_QUEUE_URL,
                Components.FREE_QUEUE_URL, Components.PROGRESS_QUEUE_URL, Components.WEBHOOK_QUEUE_URL)) {
            c.environment().optional(name).ifPresent(urls::add);
        }
        return new DeadLetterRedrive(c.sqs(), urls);
    }
}
