package run.creativeai.gateway.adapters.wiring;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.access.Authenticator;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbAccounts;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbIdempotencyStore;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbLimiter;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbUsage;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbUploadStore;
import run.creativeai.gateway.adapters.http.HttpRemoteImages;
import run.creativeai.gateway.adapters.lambda.HttpEvents;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.Rehearsals;
import run.creativeai.gateway.adapters.metrics.Metered;
import run.creativeai.gateway.adapters.s3.S3MediaStore;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.api.AdmissionReplies;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationInputs;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.IdempotentRequests;
import run.creativeai.gateway.api.JobReplies;
import run.creativeai.gateway.api.JobWait;
import run.creativeai.gateway.api.Quotas;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.WorkflowReplies;
import run.creativeai.gateway.api.WorkflowRequestParser;
import run.creativeai.gateway.api.routes.CancelGeneration;
import run.creativeai.gateway.api.routes.CancelWorkflow;
import run.creativeai.gateway.api.routes.CreateWorkflow;
import run.creativeai.gateway.api.routes.GetWorkflow;
import run.creativeai.gateway.workflow.WorkflowRunner;
import run.creativeai.gateway.api.routes.CreateBatch;
import run.creativeai.gateway.api.routes.CreateGeneration;
import run.creativeai.gateway.api.routes.CreateStatusSubscription;
import run.creativeai.gateway.api.routes.CreateTraining;
import run.creativeai.gateway.api.TrainingRequestParser;
import run.creativeai.gateway.api.routes.CreateUpload;
import run.creativeai.gateway.api.routes.DeleteStatusSubscription;
import run.creativeai.gateway.api.routes.GetGeneration;
import run.creativeai.gateway.api.routes.GetOpenApi;
import run.creativeai.gateway.api.routes.GetQuota;
import run.creativeai.gateway.api.routes.GetUsage;
import run.creativeai.gateway.api.routes.GetStatus;
import run.creativeai.gateway.api.routes.GetUpload;
import run.creativeai.gateway.api.routes.ListModels;
import run.creativeai.gateway.api.routes.ListStatusSubscriptions;
import run.creativeai.gateway.api.routes.RedeliverWebhook;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.api.routes.StatusPage;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.media.MediaLimits;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.Subscriptions;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.training.TrainedModels;
import run.creativeai.gateway.uploads.InputImages;
import run.creativeai.gateway.uploads.TrainingImages;
import run.creativeai.gateway.uploads.Uploads;
import run.creativeai.gateway.webhook.WebhookRedelivery;
import run.creativeai.gateway.webhook.WebhookSchedule;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/** The API function's parts, built once per container: the v1 API and everything its routes use. */
public final class IngressWiring {
    private final GatewayApi api;
    private final Runnable rehearsal;

    public IngressWiring(Components c) {
        FunctionEnvironment env = c.environment();
        Catalogues catalogues = Catalogues.configured(env);
        JobStore jobs = Adapters.jobs(c);
        SqsJobQueue tierQueues = Adapters.tierQueues(c);
        QueueBackpressure backpressure = Adapters.backpressure(c, tierQueues);
        Settlements settlements = Adapters.settlements(c);
        // Every admission decision is metered (admitted, or refused by its rule or for credits); the
        // limiter reserves credits in the accounts table and creates the job in the same write as the
        // limit counters.
        AdmissionService admissions = Adapters.admissions(c, catalogues, tierQueues, backpressure);
        TenantConcurrency concurrency = Adapters.tenantConcurrency(c, catalogues);
        WebhookUrlPolicy webhookUrls = Adapters.webhookUrlPolicy(c);
        GenerationRequestParser parser = new GenerationRequestParser(catalogues.models(), webhookUrls);
        // Input images: uploads presigned to the uploads bucket, URLs copied there under the webhook URL rules.
        S3MediaStore uploadsBucket = Adapters.uploadsBucket(c);
        DynamoDbUploadStore uploadRecords = new DynamoDbUploadStore(c.dynamoDb(), env.required(Components.UPLOADS_TABLE));
        MediaLimits mediaLimits = Adapters.mediaLimits(c);
        Uploads uploads = new Uploads(uploadRecords, uploadsBucket, mediaLimits, IdSource.random(c.clock()), c.clock());
        InputImages inputImages = new InputImages(uploadRecords, uploadsBucket, new HttpRemoteImages(webhookUrls),
                mediaLimits, IdSource.random(c.clock()), c.clock());
        TrainedModels trainedModels = Adapters.trainedModels(c);
        GenerationInputs inputs = new GenerationInputs(inputImages, trainedModels);
        Quotas quotas = new Quotas(admissions, concurrency, Adapters.accounts(c));
        JobReplies ownJobs = new JobReplies(jobs, backpressure, Adapters.outputLinks(c), c.clock());
        AdmissionReplies replies = new AdmissionReplies(quotas, ownJobs, c.clock());
        ReadLimit reads = new ReadLimit(admissions, c.clock());
        Subscriptions subscriptions = StatusAdapters.subscriptions(c);
        JobWait waits = JobWait.sleeping(jobs, c.clock());
        // Every creation route honours Idempotency-Key; the route itself does not know.
        IdempotentRequests idempotency = new IdempotentRequests(new DynamoDbIdempotencyStore(c.dynamoDb(),
                env.required(Components.IDEMPOTENCY_TABLE)), IdSource.random(c.clock()), c.clock());
        JobCancellation cancellation = Adapters.jobCancellation(c, concurrency);
        // Workflows: checked and stored here, moved on by the dispatcher; a cancel stops their steps here.
        WorkflowRunner workflowRunner = Adapters.workflowRunner(c, catalogues, admissions, concurrency, cancellation);
        WorkflowReplies workflowReplies = new WorkflowReplies(Adapters.workflows(c), workflowRunner,
                Adapters.outputLinks(c), c.clock());
        List<Route> routes = List.of(
                idempotency.around(new CreateGeneration(JobKind.IMAGE, parser, inputs, admissions, replies, waits)),
                idempotency.around(new CreateGeneration(JobKind.VIDEO, parser, inputs, admissions, replies, waits)),
                idempotency.around(new CreateBatch(parser, inputs, admissions, replies)),
                new CreateUpload(reads, uploads),
                new GetUpload(reads, uploads),
                new GetGeneration(reads, ownJobs),
                new CancelGeneration(ownJobs, cancellation),
                // A LoRA training is a job of kind training: the same admission, queues, cancel and reads.
                idempotency.around(new CreateTraining(new TrainingRequestParser(catalogues.models(), parser),
                        new TrainingImages(inputImages, uploadsBucket, IdSource.random(c.clock())), admissions, replies)),
                GetGeneration.trainings(reads, ownJobs),
                CancelGeneration.trainings(ownJobs, cancellation),
                idempotency.around(new RedeliverWebhook(ownJobs,
                        new WebhookRedelivery(Adapters.webhookQueue(c), WebhookSchedule.standard(), webhookUrls))),
                new GetQuota(reads, quotas),
                new GetUsage(reads, new DynamoDbUsage(c.dynamoDb(), env.required(Components.ACCOUNTS_TABLE)), c.clock()),
                new ListModels(catalogues.models(), trainedModels),
                new GetStatus(StatusAdapters.published(c)),
                new StatusPage(),
                new GetOpenApi(),
                new CreateStatusSubscription(reads, parser, subscriptions),
                new ListStatusSubscriptions(reads, subscriptions),
                new DeleteStatusSubscription(reads, subscriptions),
                idempotency.around(new CreateWorkflow(new WorkflowRequestParser(parser), inputs, admissions, Adapters.workflows(c),
                        Adapters.progressQueue(c), workflowReplies, IdSource.random(c.clock()), c.clock())),
                new GetWorkflow(reads, workflowReplies),
                new CancelWorkflow(workflowReplies, workflowRunner));
        this.api = new GatewayApi(
                // Creations may reuse a key read by this instance within Authenticator.RECENT (2 s).
                new Authenticator(Adapters.apiKeyHasher(c), LogContext.noting(Adapters.apiKeys(c)), catalogues.plans(),
                        c.clock(), Authenticator.RECENT),
                // Every answer counts towards the API's 5xx share on the status page.
                routes, StatusAdapters.tally(c, HealthSignal.API_REQUESTS), c.clock(), c.region());
        // An admission as far as a tenant that holds no credits gets (the route, its parser, the limiter's
        // transaction of counters, reservation and job, cancelled by the reservation; the 402), then the
        // writes past it: a transaction's cancellation as the job's own check gets it, the tier queue's send.
        // Its own queue readings: a restored instance's first admission reads its queue's depth again,
        // as one after a cold start does, instead of finding the priming's reading.
        Route creation = new CreateGeneration(JobKind.IMAGE, parser, inputs, Adapters.rehearsalAdmissions(c, catalogues,
                tierQueues, Adapters.backpressure(c, tierQueues)), replies, waits);
        DynamoDbAccounts accounts = Adapters.accounts(c);
        Plan plan = catalogues.plans().find(catalogues.plans().names().stream().sorted().findFirst().orElseThrow())
                .orElseThrow();
        this.rehearsal = () -> {
            unfundedCreation(creation, accounts, plan, c.clock());
            Rehearsals.cancelledTransaction(c.dynamoDb(), env.required(Components.JOBS_TABLE));
            Rehearsals.sendToAbsentQueue(c.sqs(), env.required(Components.ENTERPRISE_QUEUE_URL));
            // Built at their first use on demand (an upload, a link); a snapshot holds them ready.
            c.s3();
            c.s3Presigner();
            // And an admission that is admitted, walked whole where no table, queue or tenant sees it.
            rehearsedAdmission(c, plan);
        };
    }

    /**
     * An image creation admitted from end to end against a {@link Rehearsals#againstStandIn stand-in}:
     * a key stored there for {@link Priming#NO_TENANT}, then the request as API Gateway delivers it,
     * authenticated, parsed, counted, reserved, created, queued and answered 202, which no table, queue
     * or tenant ever sees.
     *
     * @return the calls the stand-in answered, in order
     */
    public static List<String> rehearsedAdmission(Components c, Plan plan) {
        return Rehearsals.againstStandIn(c, standIn -> {
            // A key of the live form that exists only in the stand-in.
            String key = "sk_live_" + "0".repeat(40);
            Adapters.apiKeys(standIn).put(new ApiKeyRecord(Adapters.apiKeyHasher(standIn).hash(key),
                    new KeyId(Priming.NO_KEY), new TenantId(Priming.NO_TENANT), plan.name(), TenantStanding.ACTIVE, false,
                    TenantTerms.none(), Optional.empty()));
            ApiResponse answer = new IngressWiring(standIn).api().handle(HttpEvents.toRequest(Priming.http(
                    GatewayApi.CREATE_IMAGE, Map.of(), Map.of("authorization", "Bearer " + key,
                            "content-type", "application/json"),
                    "{\"model\":\"auto\",\"prompt\":\"a rehearsal\",\"n\":1,\"size\":\"1024x1024\"}"),
                    standIn.clock()));
            if (answer.status() != 202) {
                throw new IllegalStateException("the rehearsed admission was answered " + answer.status() + ", not 202");
            }
        });
    }

    /**
     * An image creation by {@link Priming#NO_TENANT}, a tenant id no tenant has, walked through the
     * route as a real one is. That tenant has no balance (read first: were it ever given credits, the
     * rehearsal is skipped), so the limiter's transaction, which reserves credits in the same write as
     * it counts and creates the job, is cancelled by the reservation's condition, and the request is
     * answered 402: nothing is counted, reserved, created or queued.
     */
    private static void unfundedCreation(Route creation, DynamoDbAccounts accounts, Plan plan, Clock clock) {
        TenantId tenant = new TenantId(Priming.NO_TENANT);
        if (accounts.balance(tenant).available() > 0) {
            return;
        }
        Principal nobody = new Principal(tenant, new KeyId(Priming.NO_KEY), plan, TenantStanding.ACTIVE);
        ApiResponse answer = creation.handle(HttpEvents.toRequest(Priming.http(creation.key(), Map.of(),
                Map.of("content-type", "application/json"),
                "{\"model\":\"auto\",\"prompt\":\"priming\",\"n\":1,\"size\":\"1024x1024\"}"), clock), nobody);
        // Anything else did not walk the admission (a request the parser refused), or wrote: say so.
        if (answer.status() != 402) {
            throw new IllegalStateException("the rehearsed admission was answered " + answer.status() + ", not 402");
        }
    }

    /** What priming runs beside a harmless request ({@link Rehearsals}). */
    public Runnable rehearsal() {
        return rehearsal;
    }

    public GatewayApi api() {
        return api;
    }
}
