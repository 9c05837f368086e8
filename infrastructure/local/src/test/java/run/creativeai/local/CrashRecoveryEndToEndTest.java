package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.adapters.dynamodb.DynamoDbJobStore;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.EventId;
import run.creativeai.gateway.webhook.WebhookTask;
import run.creativeai.local.services.WebhookReceiver;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Nothing is lost when a function dies between two steps: each test kills one invocation at one
 * point ({@link CrashInjection}), lets the system recover by the means it has in production (SQS
 * redelivery, the scheduled reconciler, fired here as of an hour later instead of waited for), and
 * checks that the job ends, stays queryable, and that its webhook reached the receiver at least once
 * and never again after a recorded 2xx, however many copies of its messages then arrive. The
 * outcome of every point is written as {@code target/benchmarks/crash-matrix.md}.
 */
class CrashRecoveryEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A bound for waits that include a dead claim's lease (three 10 s attempt timeouts), on a loaded machine. */
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final Map<Integer, String> MATRIX = new TreeMap<>();
    private static LocalCloud cloud;
    private static Api api;
    private static EndedJobs ended;

    /**
     * A cloud of this class's own: its checks wait for queues to fall idle and sweep every job, which
     * the shared cloud's other classes can leave busy (a training waiting minutes for its tier's slot).
     */
    @BeforeAll
    static void start() {
        cloud = LocalCloudExtension.own();
        api = new Api(cloud);
        ended = new EndedJobs(cloud);
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private static String env(String function, String name) {
        return cloud.runtime().function(function).environment().get(name);
    }

    private static WebhookReceiver receiver() {
        return cloud.services().webhooks();
    }

    /** Runs the reconciler now, as the schedule would an hour from now: every crash has left its mark by then. */
    private static JsonNode reconcile() throws Exception {
        return JSON.readTree(cloud.runtime().schedule("ReconcilerFunction", "Sweep")
                .fire(Instant.now().plus(Duration.ofHours(1))));
    }

    private static String submit(String apiKey, String body) {
        Api.Response response = api.post("/v1/images/generations", apiKey, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        return response.json().path("id").asText();
    }

    private static String imageWithHook(String path) {
        return "{\"model\":\"seedream\",\"prompt\":\"a harbour\",\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks"
                + path + "\"}";
    }

    private static JsonNode awaitEnded(String id, String apiKey) {
        return api.awaitJob(id, apiKey, j -> JobStatus.valueOf(j.path("status").asText().toUpperCase()).isTerminal(),
                JOB_TIMEOUT);
    }

    private static List<WebhookReceiver.Delivery> awaitDeliveries(String path, int count) {
        return receiver().await(d -> d.path().equals(path), count, JOB_TIMEOUT);
    }

    private static Set<String> ids(List<WebhookReceiver.Delivery> deliveries) {
        return deliveries.stream().map(d -> d.header("webhook-id")).collect(Collectors.toSet());
    }

    // ---- what a crash point matches: the AWS call a function makes at that point

    /** A write of a job's next version: its status and document as written. */
    private record JobWritten(String id, String status, String doc) {
    }

    private static Predicate<SdkRequest> jobWrite(Predicate<JobWritten> written) {
        String table = env("DispatcherFunction", Components.JOBS_TABLE);
        return r -> r instanceof UpdateItemRequest u && u.tableName().equals(table)
                && u.expressionAttributeValues().containsKey(":doc")
                && written.test(new JobWritten(u.key().get("job_id").s(), u.expressionAttributeValues().get(":status").s(),
                        DynamoDbJobStore.document(u.expressionAttributeValues().get(":doc"))));
    }

    private static Predicate<SdkRequest> ledgerUpdate(String eventId, String valueName) {
        String table = env("WebhookFunction", Components.WEBHOOK_DEDUP_TABLE);
        return r -> r instanceof UpdateItemRequest u && u.tableName().equals(table)
                && eventId.equals(u.key().get("event_id").s()) && u.expressionAttributeValues().containsKey(valueName);
    }

    /**
     * Waits for the job's credits to be settled (its settlement record, which exists once or never,
     * and nothing of its tenant held any more) and says so for the matrix, with what was charged.
     */
    private static String creditsSettled(String tenant, String jobId) {
        String accounts = env("DispatcherFunction", Components.ACCOUNTS_TABLE);
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("settlement#" + jobId),
                "sk", AttributeValue.fromS("settlement"));
        AtomicReference<Map<String, AttributeValue>> record = new AtomicReference<>();
        await("the credits of " + jobId + " are settled").atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    record.set(cloud.runtime().dynamoDb().getItem(b -> b.tableName(accounts).key(key).consistentRead(true))
                            .item());
                    return record.get() != null && !record.get().isEmpty()
                            && cloud.accounts().show(new TenantId(tenant)).balance().reserved() == 0;
                });
        return "once: " + record.get().get("charged").n() + " charged, " + record.get().get("refunded").n() + " refunded";
    }

    @Test
    void theIngressDiesAfterStoringTheJobAndBeforeQueueingIt() throws Exception {
        String tenant = "crash-ingress-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        Set<String> tierQueues = Set.of(env("IngressFunction", Components.PRO_QUEUE_URL),
                env("IngressFunction", Components.FREE_QUEUE_URL), env("IngressFunction", Components.ENTERPRISE_QUEUE_URL));
        Api.Response answer;
        try (CrashInjection.Fault fault = CrashInjection.arm("ingress: job stored, not queued", r ->
                r instanceof SendMessageRequest m && tierQueues.contains(m.queueUrl())
                        && Thread.currentThread().getName().startsWith("lambda-IngressFunction"))) {
            answer = api.post("/v1/images/generations", apiKey, imageWithHook(hook));
            assertThat(fault.fired()).isTrue();
        }
        assertThat(answer.status()).as("the client saw the function fail").isEqualTo(500);
        List<JobId> stored = jobsOf(tenant);
        assertThat(stored).as("the job was written before the crash").hasSize(1);
        String id = stored.get(0).value();
        assertThat(api.get("/v1/generations/" + id, apiKey).json().path("status").asText()).isEqualTo("queued");

        JsonNode report = reconcile();
        assertThat(report.path("requeued").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode job = awaitEnded(id, apiKey);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
        record(1, "ingress, after the job is stored and before it is queued", "send to the tier queue",
                "reconciler queues it again", job, deliveries, outputObjects(id).size(),
                creditsSettled(tenant, id));
        assertThat(deliveries).hasSize(1);
    }

    @Test
    void theDispatcherDiesAfterTheOutputIsCopiedAndBeforeTheJobIsUpdated() throws Exception {
        String tenant = "crash-result-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        String id;
        // Without callbacks only the scheduled checks look, so the check that dies is the only one left.
        try (AutoCloseable polled = providerSettings("seedream", "{\"callbacks\":false}");
                CrashInjection.Fault fault = CrashInjection.arm("dispatcher: output copied, job not updated",
                        jobWrite(job -> job.doc().contains("\"tenant_id\":\"" + tenant + "\"")
                                && job.status().equals("succeeded")))) {
            id = submit(apiKey, imageWithHook(hook));
            fault.awaitFired(JOB_TIMEOUT);
        } finally {
            cloud.services().providers().configure("seedream", JSON.createObjectNode().put("callbacks", true));
        }
        assertThat(api.get("/v1/generations/" + id, apiKey).json().path("status").asText())
                .as("the provider's result was never written").isEqualTo("running");
        assertThat(outputObjects(id)).as("the copy was made before the crash").containsExactly("outputs/" + id + "/1/0.png");

        JsonNode report = reconcile();
        assertThat(report.path("resumed").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode job = awaitEnded(id, apiKey);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("outputs").size()).isEqualTo(1);
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
        record(2, "dispatcher, after the outputs are copied and before the job is updated", "job write (succeeded)",
                "reconciler resumes it: the dispatcher asks the provider again and copies over the same key", job,
                deliveries, outputObjects(id).size(), creditsSettled(tenant, id));
        assertThat(deliveries).hasSize(1);
        assertThat(job.path("attempts").size()).as("the provider's job is looked up, not submitted again").isEqualTo(1);
        assertThat(outputObjects(id)).as("one object per output key").containsExactly("outputs/" + id + "/1/0.png");
    }

    @Test
    void theDispatcherDiesMidCopyAndTheRetryLeavesOneWholeObject() throws Exception {
        String tenant = "crash-copy-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        long size = 20L * 1024 * 1024;
        AtomicReference<String> target = new AtomicReference<>("-");
        String id;
        try (AutoCloseable video = providerSettings("kling",
                "{\"callbacks\":false,\"latency_ms\":300,\"output_bytes\":" + size + "}");
                CrashInjection.Fault fault = CrashInjection.arm("dispatcher: mid-copy, second part",
                        r -> r instanceof UploadPartRequest u && u.partNumber() == 2 && u.key().startsWith(target.get()))) {
            Api.Response created = api.post("/v1/video/generations", apiKey,
                    "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5,\"webhook_url\":\"" + cloud.apiUrl()
                            + "/_local/webhooks" + hook + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            id = created.json().path("id").asText();
            target.set("outputs/" + id + "/");
            fault.awaitFired(JOB_TIMEOUT);
        }
        assertThat(outputObjects(id)).as("no partial object").isEmpty();

        JsonNode report = reconcile();
        assertThat(report.path("resumed").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode job = awaitEnded(id, apiKey);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
        record(3, "dispatcher, mid-copy: a part of the output uploaded, the rest not", "upload of the second part",
                "reconciler resumes it: the dispatcher copies the output again, whole", job, deliveries,
                outputObjects(id).size(), creditsSettled(tenant, id));
        assertThat(deliveries).hasSize(1);
        assertThat(outputObjects(id)).containsExactly("outputs/" + id + "/1/0.mp4");
        assertThat(job.path("outputs").get(0).path("size_bytes").asLong()).isEqualTo(size);
    }

    @Test
    void theDispatcherDiesAfterStoringTheEndAndBeforeGivingItsSlotsBackAndTheSlotComesBack() throws Exception {
        String tenant = LocalCloudExtension.CRASH_ONE_SLOT_TENANT;
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/crash-announce-" + System.nanoTime();
        AtomicReference<String> target = new AtomicReference<>("-");
        String id;
        String second;
        String limits = env("DispatcherFunction", Components.LIMITS_TABLE);
        // The dispatcher gives the slots back, then queues the webhook: it dies at the first of these.
        try (CrashInjection.Fault fault = CrashInjection.arm("dispatcher: end stored, slots held, webhook not queued",
                r -> r instanceof UpdateItemRequest u && u.tableName().equals(limits)
                        && u.key().get("pk").s().endsWith(TenantConcurrency.pool(new TenantId(tenant)))
                        && u.updateExpression().startsWith("REMOVE")
                        && u.expressionAttributeNames().values().stream().anyMatch(name -> name.endsWith(target.get())))) {
            id = submit(apiKey, imageWithHook(hook));
            target.set(id);
            fault.awaitFired(JOB_TIMEOUT);
        }
        assertThat(api.get("/v1/generations/" + id, apiKey).json().path("status").asText()).isEqualTo("succeeded");
        // The tenant's only slot is still held by the job whose worker died before giving it back.
        second = submit(apiKey, "{\"model\":\"seedream\",\"prompt\":\"after the crash\"}");

        JsonNode report = reconcile();
        assertThat(report.path("announced").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode job = awaitEnded(id, apiKey);
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
        assertThat(awaitEnded(second, apiKey).path("status").asText())
                .as("the next job starts once the reconciler has the dead worker's slot given back").isEqualTo("succeeded");
        record(4, "dispatcher, after the end is stored and before its slots are given back and the webhook queued",
                "tenant slot release", "reconciler has its slots given back, then announces it", job, deliveries,
                outputObjects(id).size(), creditsSettled(tenant, id));
        assertThat(deliveries).hasSize(1);
    }

    @Test
    void theDispatcherDiesAfterStoringTheEndAndBeforeSettlingTheCreditsWhichAreSettledOnce() throws Exception {
        String tenant = "crash-settle-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        String accounts = env("DispatcherFunction", Components.ACCOUNTS_TABLE);
        AtomicReference<String> target = new AtomicReference<>("-");
        String id;
        try (CrashInjection.Fault fault = CrashInjection.arm("dispatcher: end stored, credits not settled", r ->
                // The first to settle a job that ends by itself is the dispatcher that ended it.
                r instanceof TransactWriteItemsRequest t && t.transactItems().stream().anyMatch(i -> i.put() != null && i.put().tableName().equals(accounts)
                                && ("settlement#" + target.get()).equals(i.put().item().get("pk").s())))) {
            id = submit(apiKey, imageWithHook(hook));
            target.set(id);
            fault.awaitFired(JOB_TIMEOUT);
        }
        assertThat(api.get("/v1/generations/" + id, apiKey).json().path("status").asText()).isEqualTo("succeeded");
        // The reconciler settles the job, unless another message about it (the provider's callback racing
        // the poll that ended it) found it ended first and settled it: either way, once.
        reconcile();
        String credits = creditsSettled(tenant, id);
        // Copies of the messages the crash left behind: each finds the job ended and asks to settle it again.
        var progress = Adapters.progressQueue(new Components(FunctionEnvironment.of(
                cloud.runtime().function("DispatcherFunction").environment()), java.time.Clock.systemUTC()));
        for (int copy = 0; copy < 3; copy++) {
            progress.resume(new JobId(id));
            progress.schedule(new run.creativeai.gateway.dispatch.ProgressCheck(new JobId(id), 1, 1), Duration.ZERO);
        }
        reconcile();
        JsonNode job = awaitEnded(id, apiKey);
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
        await("the copies are handled").atMost(JOB_TIMEOUT).until(() -> progressQueueIdle());
        assertThat(cloud.accounts().show(new TenantId(tenant)).balance()).as("charged once, whatever repeated")
                .isEqualTo(new run.creativeai.gateway.billing.Balance(LocalCloud.TEST_CREDITS - 30, 0));
        record(8, "dispatcher, after the end is stored and the slots given back, before the credits are settled",
                "settlement transaction", "reconciler settles it before it leaves its index (the dying message, "
                        + "redelivered, would too)", job, deliveries, outputObjects(id).size(), credits);
        assertThat(deliveries).hasSize(1);
        assertThat(job.path("cost").path("charged").asLong()).isEqualTo(30);
    }

    @Test
    void theDispatcherDiesAfterAWorkflowStepEndedAndBeforeItsDependentsStartedAndTheReconcilerStartsThem()
            throws Exception {
        String tenant = "crash-workflow-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        String progressQueue = env("DispatcherFunction", Components.PROGRESS_QUEUE_URL);
        AtomicReference<String> target = new AtomicReference<>("-");
        String id;
        try (AutoCloseable fastKling = providerSettings("kling", "{\"latency_ms\":1500}")) {
            // The dispatcher stores the still's end, gives its slots back, settles it, then tells its workflow:
            // it dies at that message, so nothing but the reconciler knows the clip may start.
            try (CrashInjection.Fault fault = CrashInjection.arm("dispatcher: step ended, dependents not started",
                    r -> r instanceof SendMessageRequest m && m.queueUrl().equals(progressQueue)
                            && m.messageBody().contains("\"workflow_id\":\"" + target.get() + "\""))) {
                Api.Response created = api.post("/v1/workflows", apiKey, "{\"steps\":["
                        + "{\"id\":\"still\",\"operation\":\"text-to-image\",\"model\":\"seedream\",\"prompt\":\"a harbour\"},"
                        + "{\"id\":\"clip\",\"operation\":\"image-to-video\",\"model\":\"kling\",\"prompt\":\"waves\","
                        + "\"image\":\"{{still.outputs[0]}}\",\"duration\":5}],\"webhook_url\":\"" + cloud.apiUrl()
                        + "/_local/webhooks" + hook + "\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                id = created.json().path("id").asText();
                target.set(id);
                fault.awaitFired(JOB_TIMEOUT);
            }
            JsonNode stranded = api.get("/v1/workflows/" + id, apiKey).json();
            assertThat(stranded.path("steps").get(0).path("status").asText()).isEqualTo("succeeded");
            assertThat(stranded.path("steps").get(1).path("job_id").isNull()).as("the clip never started").isTrue();

            JsonNode report = reconcile();
            assertThat(report.path("workflows_advanced").asInt()).isGreaterThanOrEqualTo(1);
            JsonNode done = api.awaitWorkflow(id, apiKey, w -> w.path("status").asText().equals("succeeded"), JOB_TIMEOUT);
            String still = done.path("steps").get(0).path("job_id").asText();
            String clip = done.path("steps").get(1).path("job_id").asText();
            // Copies of the workflow's messages change nothing: the clip was submitted once.
            var progress = Adapters.progressQueue(new Components(FunctionEnvironment.of(
                    cloud.runtime().function("DispatcherFunction").environment()), java.time.Clock.systemUTC()));
            for (int copy = 0; copy < 3; copy++) {
                progress.advance(new run.creativeai.gateway.job.WorkflowId(id), Duration.ZERO);
            }
            reconcile();
            await("the copies are handled").atMost(JOB_TIMEOUT).until(() -> progressQueueIdle());
            assertThat(cloud.services().providers().submissionsFor("kling", clip)).isEqualTo(1);
            List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
            assertThat(deliveries.get(0).header("X-CreativeAI-Event")).isEqualTo("workflow.completed");
            record(9, "dispatcher, after a workflow's step ended and before its dependents started",
                    "send of the workflow's message to the progress queue",
                    "reconciler sends the resting workflow on: its dependent step is admitted and runs", done,
                    deliveries, outputObjects(still).size() + outputObjects(clip).size(), creditsSettled(tenant, clip));
            assertThat(deliveries).hasSize(1);
        }
    }

    @Test
    void theDispatcherDiesAfterStoringTheAcceptanceAndBeforeAnnouncingTheStartWhichIsAnnouncedOnce() throws Exception {
        String tenant = "crash-started-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        String id;
        // The dispatcher stores the provider's acceptance, schedules the first progress check, then queues
        // generation.started: it dies at that message, so the job runs on and ends with its start untold.
        try (CrashInjection.Fault fault = CrashInjection.arm("dispatcher: acceptance stored, start not announced",
                sentAboutAJobOf(tenant, Components.WEBHOOK_QUEUE_URL, "\"event\":\"start\""))) {
            id = submit(apiKey, hearingItsStart(hook));
            fault.awaitFired(JOB_TIMEOUT);
        }
        assertThat(awaitEnded(id, apiKey).path("status").asText()).isEqualTo("succeeded");
        awaitDeliveries(hook, 1);
        await("the end's attempt is recorded on the job").atMost(JOB_TIMEOUT).until(() ->
                api.get("/v1/generations/" + id, apiKey).json().path("webhook").path("attempts").size() == 1);
        assertThat(receiver().deliveries(hook)).extracting(d -> d.header("X-CreativeAI-Event"))
                .as("the start was never queued").containsExactly("generation.succeeded");

        JsonNode report = reconcile();
        assertThat(report.path("announced").asInt()).as("the reconciler announces the start no attempt was made of")
                .isGreaterThanOrEqualTo(1);
        eachEventArrivedOnceWhateverCopiesFollow(10, tenant, apiKey, hook, id,
                "dispatcher, after the provider's acceptance is stored and before `generation.started` is queued",
                "send of the start to the webhook queue", "its progress check, queued before, ends it; the "
                        + "reconciler announces the start no attempt was recorded of");
    }

    @Test
    void theDispatcherDiesAfterStoringTheAcceptanceAndBeforeSchedulingItsChecksAndTheReconcilerResumesAndAnnouncesIt()
            throws Exception {
        String tenant = "crash-accepted-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        String id;
        // Without callbacks only the scheduled checks look: the dispatcher dies at the first, before the start
        // is queued, so nothing carries the job on and nothing announced it.
        try (AutoCloseable polled = providerSettings("seedream", "{\"callbacks\":false}");
                CrashInjection.Fault fault = CrashInjection.arm("dispatcher: acceptance stored, no check scheduled",
                        sentAboutAJobOf(tenant, Components.PROGRESS_QUEUE_URL, "\"check\":"))) {
            id = submit(apiKey, hearingItsStart(hook));
            fault.awaitFired(JOB_TIMEOUT);
            assertThat(api.get("/v1/generations/" + id, apiKey).json().path("status").asText()).isEqualTo("running");
            assertThat(receiver().deliveries(hook)).as("nothing announced").isEmpty();

            JsonNode report = reconcile();
            assertThat(report.path("resumed").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(awaitEnded(id, apiKey).path("status").asText()).isEqualTo("succeeded");
        }
        eachEventArrivedOnceWhateverCopiesFollow(11, tenant, apiKey, hook, id,
                "dispatcher, after the provider's acceptance is stored and before its first check and "
                        + "`generation.started` are queued", "send of the first progress check",
                "reconciler resumes it: the dispatcher looks at the provider again, and the reconciler announces the "
                        + "start no attempt was recorded of");
    }

    /** A seedream job whose webhook, at {@code hook} of the receiver, hears its start and its end. */
    private static String hearingItsStart(String hook) {
        return "{\"model\":\"seedream\",\"prompt\":\"a harbour\",\"webhook_url\":\"" + cloud.apiUrl()
                + "/_local/webhooks" + hook + "\",\"webhook_events_filter\":[\"start\",\"completed\"]}";
    }

    /**
     * Waits for the start the reconciler announced; then sends a copy of the message a dispatcher that died
     * with the job's start message left behind (SQS brings it back after its visibility timeout) and copies
     * of the start's first attempt, as a second announcement sends, runs the reconciler again, and checks
     * that the receiver got the job's start and its end once each.
     */
    private static void eachEventArrivedOnceWhateverCopiesFollow(int order, String tenant, String apiKey, String hook,
            String id, String point, String call, String recovery) throws Exception {
        assertThat(receiver().await(d -> d.path().equals(hook) && "generation.started".equals(d.header(
                "X-CreativeAI-Event")), 1, JOB_TIMEOUT)).as("the start no attempt was made of, announced").hasSize(1);
        awaitDeliveries(hook, 2);
        Components dispatcher = new Components(FunctionEnvironment.of(
                cloud.runtime().function("DispatcherFunction").environment()), java.time.Clock.systemUTC());
        Job stored = Adapters.jobs(dispatcher).find(new JobId(id)).orElseThrow();
        Adapters.tierQueues(dispatcher).enqueue(stored);
        ended.enqueueConcurrently(List.of(new WebhookTask(stored.id(), WebhookEventKind.START, 1),
                new WebhookTask(stored.id(), WebhookEventKind.START, 1)));
        reconcile();
        ended.awaitQueueDrained(JOB_TIMEOUT);
        await("the copy of the start message is handled").atMost(JOB_TIMEOUT)
                .until(() -> queueIdle(env("DispatcherFunction", Components.PRO_QUEUE_URL)));
        JsonNode job = api.get("/v1/generations/" + id, apiKey).json();
        List<WebhookReceiver.Delivery> deliveries = receiver().deliveries(hook);
        record(order, point, call, recovery + " (one `generation.started`, one `generation.succeeded`)", job,
                deliveries, outputObjects(id).size(), creditsSettled(tenant, id));
        assertThat(deliveries).extracting(d -> d.header("X-CreativeAI-Event")).as("each event once, whatever repeated")
                .containsExactlyInAnyOrder("generation.started", "generation.succeeded");
        assertThat(ids(deliveries)).containsExactlyInAnyOrder(EventId.started(stored.id()),
                EventId.of(stored.id(), JobStatus.SUCCEEDED));
    }

    /** A send to the queue named by {@code queueVariable} of a message about a job of {@code tenant}, holding {@code text}. */
    private static Predicate<SdkRequest> sentAboutAJobOf(String tenant, String queueVariable, String text) {
        String queue = env("DispatcherFunction", queueVariable);
        String table = env("DispatcherFunction", Components.JOBS_TABLE);
        return r -> {
            if (!(r instanceof SendMessageRequest m && m.queueUrl().equals(queue) && m.messageBody().contains(text))) {
                return false;
            }
            String job;
            try {
                job = JSON.readTree(m.messageBody()).path("job_id").asText();
            } catch (IOException e) {
                return false;
            }
            Map<String, AttributeValue> item = cloud.runtime().dynamoDb().getItem(b -> b.tableName(table)
                    .key(Map.of("job_id", AttributeValue.fromS(job))).consistentRead(true)).item();
            return item != null && item.containsKey("tenant_id") && tenant.equals(item.get("tenant_id").s());
        };
    }

    private static boolean progressQueueIdle() {
        return queueIdle(env("DispatcherFunction", Components.PROGRESS_QUEUE_URL));
    }

    private static boolean queueIdle(String url) {
        Map<QueueAttributeName, String> a = cloud.runtime().sqs().getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals("0")
                && a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED).equals("0");
    }

    @Test
    void theWebhookFunctionDiesBeforeThePost() throws Exception {
        Hooked e = endedWithHook("crash-claim-");
        String apiKey = e.apiKey();
        String hook = e.hook();
        Job done = e.job();
        crashFirstAttempt(done, "webhook: before the POST", ledgerUpdate(e.eventId(), ":flight"));
        assertThat(receiver().deliveries(hook)).isEmpty();

        reconcile();
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 1);
        redeliverCopies(done);
        JsonNode job = api.get("/v1/generations/" + done.id(), apiKey).json();
        record(5, "webhook, mid-delivery: event claimed, before the POST", "ledger claim",
                "reconciler queues the first attempt again", job, receiver().deliveries(hook), "-",
                creditsSettled(e.tenant(), done.id().value()));
        assertThat(receiver().deliveries(hook)).hasSize(1);
        assertThat(deliveries.get(0).answered()).isEqualTo(200);
    }

    @Test
    void afterTheRecorded2xxNothingIsLeftToDieAtAndEveryCopyStandsDown() throws Exception {
        Hooked e = endedWithHook("crash-ledger-");
        String apiKey = e.apiKey();
        String hook = e.hook();
        Job done = e.job();
        // The job's recorded 2xx is a delivery's last write: the ledger is not told (its claim lapses), so a
        // worker that dies after it dies with nothing left to do. Copies of its message are all that remain.
        ended.enqueue(new WebhookTask(done.id(), 1));
        awaitDeliveries(hook, 1);
        await("the 2xx is recorded on the job").atMost(JOB_TIMEOUT).until(() ->
                api.get("/v1/generations/" + done.id(), apiKey).json().path("webhook").path("attempts").size() == 1);
        reconcile();
        redeliverCopies(done);
        JsonNode job = api.get("/v1/generations/" + done.id(), apiKey).json();
        record(6, "webhook, after the 2xx is recorded on the job (its last write: the ledger keeps its claim)", "-",
                "nothing needed: the job's recorded 2xx stops every copy", job, receiver().deliveries(hook), "-",
                creditsSettled(e.tenant(), done.id().value()));
        assertThat(receiver().deliveries(hook)).hasSize(1);
        assertThat(job.path("webhook").path("attempts").size()).isEqualTo(1);
    }

    @Test
    void theWebhookFunctionDiesAfterThe2xxAndBeforeRecordingItSoTheEventIsSentAgainWithItsId() throws Exception {
        Hooked e = endedWithHook("crash-record-");
        String apiKey = e.apiKey();
        String hook = e.hook();
        Job done = e.job();
        String eventId = e.eventId();
        crashFirstAttempt(done, "webhook: 2xx received, not recorded", jobWrite(job ->
                job.id().equals(done.id().value()) && job.doc().contains(eventId)));
        assertThat(receiver().deliveries(hook)).as("the receiver answered 200 before the crash").hasSize(1);

        reconcile();
        // The dead attempt's claim keeps the event for its lease (3 attempt timeouts); then the
        // announced attempt sends it again, as it must: nothing recorded that the receiver has it.
        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(hook, 2);
        redeliverCopies(done);
        JsonNode job = api.get("/v1/generations/" + done.id(), apiKey).json();
        record(7, "webhook, mid-delivery: 2xx received, before anything records it", "job write (webhook attempt)",
                "reconciler queues the first attempt again; it waits out the dead claim's lease", job,
                receiver().deliveries(hook), "-", creditsSettled(e.tenant(), done.id().value()));
        assertThat(receiver().deliveries(hook)).as("sent again, since no 2xx was recorded").hasSize(2);
        assertThat(ids(deliveries)).as("with the same webhook-id, on which receivers deduplicate").containsExactly(eventId);
        assertThat(job.path("webhook").path("attempts").size()).isEqualTo(1);
    }

    /** An ended job of a new tenant, with a webhook to its own path of the receiver, not yet announced. */
    private record Hooked(String tenant, String apiKey, String hook, Job job) {
        String eventId() {
            return EventId.of(job.id(), job.status());
        }
    }

    private static Hooked endedWithHook(String tenantPrefix) {
        String tenant = tenantPrefix + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        String hook = "/" + tenant;
        return new Hooked(tenant, apiKey, hook, ended.succeeded(tenant, URI.create(cloud.apiUrl() + "/_local/webhooks" + hook)));
    }

    /** Queues the job's first webhook attempt, as the dispatcher does, and kills the webhook function at {@code call}. */
    private static void crashFirstAttempt(Job job, String point, Predicate<SdkRequest> call) {
        try (CrashInjection.Fault fault = CrashInjection.arm(point, call)) {
            ended.enqueue(new WebhookTask(job.id(), 1));
            fault.awaitFired(JOB_TIMEOUT);
            EndedJobs.strandedByACrash();
        }
    }

    /** Sends copies of the messages a crash left in flight (SQS brings them back later) and waits until they are handled. */
    private static void redeliverCopies(Job job) throws Exception {
        ended.enqueueConcurrently(List.of(new WebhookTask(job.id(), 1), new WebhookTask(job.id(), 1),
                new WebhookTask(job.id(), 2), new WebhookTask(job.id(), 3)));
        ended.awaitQueueDrained(JOB_TIMEOUT);
    }

    private static List<JobId> jobsOf(String tenant) {
        String table = env("IngressFunction", Components.JOBS_TABLE);
        return cloud.runtime().dynamoDb().scanPaginator(b -> b.tableName(table).filterExpression("tenant_id = :t")
                        .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(tenant)))).items().stream()
                .map(item -> new JobId(item.get("job_id").s())).toList();
    }

    /** A row for a job whose outputs were copied by the dispatcher: the objects under its prefix are counted. */
    private static void record(int order, String point, String call, String recovery, JsonNode job,
            List<WebhookReceiver.Delivery> deliveries, int objects, String credits) {
        record(order, point, call, recovery, job, deliveries, Integer.toString(objects), credits);
    }

    /** A row; {@code objects} is "-" for a job stored ended by the test (the webhook points): no copy of its own. */
    private static void record(int order, String point, String call, String recovery, JsonNode job,
            List<WebhookReceiver.Delivery> deliveries, String objects, String credits) {
        MATRIX.put(order, String.format("| %s | %s | %s | %s | %s | %d | %d | %s |", point, call, recovery,
                job.path("status").asText(), objects, deliveries.size(), ids(deliveries).size(), credits));
    }

    /** The objects the outputs bucket holds under a job's prefix. */
    private static List<String> outputObjects(String jobId) {
        String bucket = env("DispatcherFunction", Components.OUTPUTS_BUCKET);
        return cloud.runtime().s3().listObjectsV2(b -> b.bucket(bucket).prefix("outputs/" + jobId + "/")).contents().stream()
                .map(o -> o.key()).toList();
    }

    /** Sets a simulated provider's behaviour until closed, then puts the previous settings back. */
    private static AutoCloseable providerSettings(String provider, String json) throws IOException {
        JsonNode settings = JSON.readTree(json);
        JsonNode now = cloud.services().providers().describeAll().path(provider);
        com.fasterxml.jackson.databind.node.ObjectNode previous = JSON.createObjectNode();
        settings.fieldNames().forEachRemaining(field -> previous.set(field, now.path(field)));
        cloud.services().providers().configure(provider, settings);
        return () -> cloud.services().providers().configure(provider, previous);
    }

    @AfterAll
    static void writeMatrix() {
        StringBuilder md = new StringBuilder()
                .append("| crash point | AWS call the invocation died at | what finished the job | job ends | objects in the bucket | webhook POSTs received | distinct webhook-ids | credits settled |\n")
                .append("|---|---|---|---|---:|---:|---:|---|\n");
        MATRIX.values().forEach(row -> md.append(row).append('\n'));
        try {
            Path dir = Path.of("target", "benchmarks");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("crash-matrix.md"), md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
