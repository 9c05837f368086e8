package run.creativeai.gateway.adapters.wiring;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.http.OutputDownloads;
import run.creativeai.gateway.adapters.lambda.Rehearsals;
import run.creativeai.gateway.adapters.s3.S3OutputStore;
import run.creativeai.gateway.adapters.metrics.Metered;
import run.creativeai.gateway.adapters.providers.ProviderClients;
import run.creativeai.gateway.adapters.s3.S3MediaStore;
import run.creativeai.gateway.adapters.s3.S3OutputSigner;
import run.creativeai.gateway.concurrency.AttemptTimeouts;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.dispatch.WeightsUrls;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.dispatch.Dispatcher;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.dispatch.InputUrls;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.workflow.WorkflowRunner;
import run.creativeai.gateway.dispatch.OutputStore;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.status.CircuitIncidents;
import run.creativeai.gateway.status.QueueProbes;
import run.creativeai.gateway.status.StatusBoard;
import run.creativeai.gateway.provider.CircuitWatch;
import run.creativeai.gateway.provider.GuardedProviders;
import run.creativeai.gateway.provider.ProviderDirectory;

/** The dispatcher function's parts, built once per container: the {@link Dispatcher} and what it moves jobs with. */
public final class DispatcherWiring {
    /** Share of each provider's slots that pro and free work may always hold, when the template does not say. */
    public static final double DEFAULT_PRIORITY_MINIMUM_SHARE = 0.1;

    /** The longest one output's copy may take, download and upload together. */
    public static final Duration COPY_DEADLINE = Duration.ofSeconds(75);
    /** The longest a provider's file server may leave a download without a byte. */
    static final Duration DOWNLOAD_IDLE = Duration.ofSeconds(15);

    private final Dispatcher dispatcher;
    private final WorkflowRunner workflows;
    private final QueueProbes probes;
    private final Runnable rehearsal;
    private final Components components;
    private final Catalogues catalogues;

    public DispatcherWiring(Components c) {
        FunctionEnvironment env = c.environment();
        this.components = c;
        Catalogues catalogues = Catalogues.configured(env);
        this.catalogues = catalogues;
        ModelCatalog models = catalogues.models();
        PollSchedule schedule = PollSchedule.standard();
        // The one dispatcher whose outcome trips or closes a circuit opens or resolves its incident at once.
        StatusBoard board = StatusAdapters.board(c, models);
        CircuitWatch watch = new CircuitIncidents(StatusAdapters.incidents(c, board), board);
        this.probes = StatusAdapters.probes(c);
        TenantConcurrency concurrency = Adapters.tenantConcurrency(c, catalogues);
        SqsJobQueue tierQueues = Adapters.tierQueues(c);
        this.dispatcher = new Dispatcher(Adapters.jobs(c), models, providers(c, models, watch), outputs(c),
                Adapters.progressQueue(c),
                Adapters.jobEndings(c), Adapters.jobStarts(c), schedule,
                new CallbackUrls(env.optional(Components.CALLBACK_BASE_URL).map(URI::create)),
                concurrency,
                providerCapacity(c, models, schedule),
                tierQueues, Adapters.settlements(c), c.clock(),
                inputUrls(c),
                Adapters.progressQueue(c),
                // Trained LoRA weights, from presigned GETs of the outputs bucket their training copied them to.
                weightsUrls(c), ConcurrentCalls.AT_ONCE);
        // A workflow's steps are admitted here when they become ready, against every limit a job meets.
        this.workflows = Adapters.workflowRunner(c, catalogues, Adapters.admissions(c, catalogues, tierQueues,
                Adapters.backpressure(c, tierQueues)), concurrency, Adapters.jobCancellation(c, concurrency));
        // A job's start past what a message for no job reaches: its versioned update, a slot's
        // transaction, the next step's message, and the providers' credentials, read (a read changes
        // nothing) into the cache the first provider call takes them from.
        this.rehearsal = () -> {
            Rehearsals.failedUpdate(c.dynamoDb(), env.required(Components.JOBS_TABLE));
            Rehearsals.cancelledTransaction(c.dynamoDb(), env.required(Components.JOBS_TABLE));
            Rehearsals.sendToAbsentQueue(c.sqs(), env.required(Components.PROGRESS_QUEUE_URL));
            c.secrets().value(env.required(Components.PROVIDER_CREDENTIALS_SECRET));
            // Built at their first use on demand (an output's copy, an input's link); a snapshot holds them ready.
            c.s3();
            c.s3Presigner();
            // And a start that finds its job, walked whole where no table, queue or provider sees it.
            rehearsedStart();
        };
    }

    /**
     * Job starts that find their job, walked whole against a {@link Rehearsals#againstStandIn stand-in},
     * one for each provider wire protocol: the job read, the tenant's and the provider's slots taken,
     * the attempt written, the provider's submission, the first check's message. What a real start
     * runs past a message for no job, so a snapshot has its classes loaded, its lambdas linked and its
     * code run.
     *
     * @return the calls the stand-in answered, in order
     */
    public List<String> rehearsedStart() {
        return Rehearsals.againstStandIn(components, standIn -> {
            JobStore jobs = Adapters.jobs(standIn);
            Dispatcher rehearsed = new DispatcherWiring(standIn).dispatcher();
            for (Job job : RehearsalJobs.eachProtocol(catalogues, standIn.clock().instant())) {
                jobs.create(job);
                rehearsed.start(job.id());
            }
        });
    }

    /** What priming runs beside a message for no job ({@link Rehearsals}). */
    public Runnable rehearsal() {
        return rehearsal;
    }

    /** Signs with the same signer as the outputs' links, which knows when the signing credentials expire. */
    private static WeightsUrls weightsUrls(Components c) {
        S3OutputSigner signer = outputsSigner(c);
        return (key, valid) -> signer.sign(key, c.clock().instant(), valid).url();
    }

    private static S3OutputSigner outputsSigner(Components c) {
        return new S3OutputSigner(c::s3Presigner, c.credentials(), c.environment().required(Components.OUTPUTS_BUCKET));
    }

    /** Slots per pool item of a provider, unless {@code PROVIDER_SLOTS_PER_SHARD} says ({@link ProviderCapacity}). */
    public static final int DEFAULT_PROVIDER_SLOTS_PER_SHARD = 16;

    /**
     * The catalogue's capacities overridden by {@code PROVIDER_CAPACITY}, as slots in the limit counters
     * table, split into pools of {@code PROVIDER_SLOTS_PER_SHARD}: the dispatcher's, and the
     * administration's, so what is set aside is exactly what the dispatcher honours.
     */
    public static ProviderCapacity providerCapacity(Components c, ModelCatalog models, AttemptTimeouts schedule) {
        FunctionEnvironment env = c.environment();
        return ProviderCapacity.configured(Adapters.slots(c), models, env.optional(Components.PROVIDER_CAPACITY),
                minimumShare(env), schedule, env.integer(Components.PROVIDER_SLOTS_PER_SHARD,
                        DEFAULT_PROVIDER_SLOTS_PER_SHARD));
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** What moves workflows on, when a message on the progress queue names one. */
    public WorkflowRunner workflows() {
        return workflows;
    }

    /**
     * Providers fetch input images from presigned GETs: of the uploads bucket, or of the outputs bucket
     * for a workflow step that takes an earlier step's output; neither outlives the credentials that
     * signed it. Signing calls nothing.
     */
    private static InputUrls inputUrls(Components c) {
        S3MediaStore uploads = Adapters.uploadsBucket(c);
        S3OutputSigner outputs = outputsSigner(c);
        return new InputUrls() {
            @Override
            public URI signed(UploadId upload, Duration valid) {
                return uploads.presignDownload(upload, valid);
            }

            @Override
            public URI signedOutput(String key, Duration valid) {
                return outputs.sign(key, c.clock().instant(), valid).url();
            }
        };
    }

    /** Where the status monitor's probes of the tier queues are taken off when they arrive. */
    public QueueProbes probes() {
        return probes;
    }

    /**
     * Every provider's client, behind its circuit (shared by all instances through DynamoDB). The
     * calls that reach a provider are metered (latency, errors), and so is the circuit state each call
     * finds; the circuit's transitions go to {@code watch}.
     */
    private static ProviderDirectory providers(Components c, ModelCatalog models, CircuitWatch watch) {
        String credentialsSecret = c.environment().required(Components.PROVIDER_CREDENTIALS_SECRET);
        ProviderDirectory clients = ProviderClients.build(models, c.environment().required(Components.PROVIDER_ENDPOINTS),
                () -> c.secrets().value(credentialsSecret));
        return new GuardedProviders(Metered.providers(clients, c.metrics(), c.clock()),
                Metered.circuits(Adapters.circuits(c), c.metrics()), watch, c.clock());
    }

    /**
     * The outputs bucket ({@code OUTPUTS_BUCKET}), filled from the providers' files, which are fetched
     * under the same outbound rules as webhooks. One output's copy may take {@link #COPY_DEADLINE}: well
     * inside the function's timeout (template.yaml), with room for the job write after it.
     */
    private static OutputStore outputs(Components c) {
        return new S3OutputStore(c::s3, c.environment().required(Components.OUTPUTS_BUCKET),
                new OutputDownloads(Adapters.webhookUrlPolicy(c), DOWNLOAD_IDLE), COPY_DEADLINE, c.clock());
    }

    /** The share lower tiers always keep of each provider's slots: {@code PRIORITY_MINIMUM_SHARE}, from 0 to 1. */
    static double minimumShare(FunctionEnvironment env) {
        String value = env.optional(Components.PRIORITY_MINIMUM_SHARE)
                .orElse(Double.toString(DEFAULT_PRIORITY_MINIMUM_SHARE));
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new ConfigurationException("environment variable " + Components.PRIORITY_MINIMUM_SHARE
                    + " is not a number from 0 to 1: " + value);
        }
    }
}
