package run.creativeai.local;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.billing.Settlements;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.WebhookTask;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Jobs that have already ended, written straight into the local cloud's jobs table, and webhook
 * queue messages for them: what the dispatcher leaves behind, without waiting for a provider.
 */
final class EndedJobs {
    /** When each webhook message a crash left in flight was stranded. */
    private static final List<Instant> STRANDED = new CopyOnWriteArrayList<>();

    private final LocalCloud cloud;
    private final Components components;
    private final JobStore jobs;
    private final Settlements settlements;

    EndedJobs(LocalCloud cloud) {
        this.cloud = cloud;
        this.components = new Components(FunctionEnvironment.of(cloud.runtime().function("WebhookFunction").environment()),
                Clock.systemUTC());
        this.jobs = Adapters.jobs(components);
        this.settlements = Adapters.settlements(new Components(
                FunctionEnvironment.of(cloud.runtime().function("DispatcherFunction").environment()), Clock.systemUTC()));
    }

    /** A succeeded image job of {@code tenant} with a webhook to {@code webhookUrl}, ended now. */
    Job succeeded(String tenant, URI webhookUrl) {
        return succeeded(tenant, webhookUrl, Instant.now());
    }

    /**
     * The same, ended at {@code now}: ended far enough back, every attempt of the webhook schedule
     * is due at once. The URL is stored as given, unchecked, as a job admitted under older rules has it.
     */
    Job succeeded(String tenant, URI webhookUrl, Instant now) {
        GenerationRequest request = new GenerationRequest(JobKind.IMAGE, "sdxl", "a lighthouse", 1,
                Optional.of("1024x1024"), Optional.empty(), Optional.empty(), Optional.of(webhookUrl), Optional.empty());
        Job job = Job.admitted(JobId.next(IdSource.random(Clock.systemUTC())), new TenantId(tenant),
                new KeyId("key_ended0"), Tier.PRO, "pro", request, "sdxl", now.minusSeconds(2))
                .beginAttempt("sdxl", "sdxl", now.minusSeconds(1))
                .attemptSubmitted("req-ended")
                .succeed(List.of(Output.of("http://127.0.0.1/out.png", "image/png")), now);
        if (!jobs.create(job)) {
            throw new IllegalStateException("job " + job.id() + " exists");
        }
        // As the dispatcher leaves an ended job: its credits settled before its end is announced.
        settlements.settle(job);
        return job;
    }

    /** A queued image job of {@code tenant} on the enterprise tier, written to the table but in no queue. */
    Job queued(String tenant) {
        GenerationRequest request = new GenerationRequest(JobKind.IMAGE, "sdxl", "a lighthouse", 1,
                Optional.of("1024x1024"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Job job = Job.admitted(JobId.next(IdSource.random(Clock.systemUTC())), new TenantId(tenant),
                new KeyId("key_queued0"), Tier.ENTERPRISE, "enterprise", request, "sdxl", Instant.now());
        if (!jobs.create(job)) {
            throw new IllegalStateException("job " + job.id() + " exists");
        }
        return job;
    }

    /** Sends one webhook task message to the template's webhook queue, as the dispatcher or a redelivery does. */
    void enqueue(WebhookTask task) {
        String url = cloud.runtime().function("WebhookFunction").environment().get(Components.WEBHOOK_QUEUE_URL);
        cloud.runtime().sqs().sendMessage(b -> b.queueUrl(url).messageBody(task.toMessage()));
    }

    /** Sends every task at once from several threads, as redelivered and duplicated messages arrive. */
    void enqueueConcurrently(List<WebhookTask> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (WebhookTask task : tasks) {
                sent.add(pool.submit(() -> enqueue(task)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Notes that a crash killed the webhook function while it held a message of the queue: the
     * message stays in flight until the queue's visibility timeout brings it back, whichever test
     * runs meanwhile.
     */
    static void strandedByACrash() {
        STRANDED.add(Instant.now());
    }

    /**
     * Waits until every copy sent to the webhook queue was handled: nothing visible or delayed, and
     * nothing in flight but the messages crashes stranded whose visibility timeout has not ended.
     */
    void awaitQueueDrained(Duration timeout) {
        String url = cloud.runtime().function("WebhookFunction").environment().get(Components.WEBHOOK_QUEUE_URL);
        Duration visibility = Duration.ofSeconds(Long.parseLong(cloud.runtime().sqs().getQueueAttributes(b -> b
                .queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                .get(QueueAttributeName.VISIBILITY_TIMEOUT)));
        await("the webhook queue drains: nothing visible or delayed, nothing in flight but what crashes stranded")
                .atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                    Map<QueueAttributeName, String> queue = cloud.runtime().sqs().getQueueAttributes(b -> b.queueUrl(url)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
                    Instant now = Instant.now();
                    long stranded = STRANDED.stream().filter(at -> at.plus(visibility).isAfter(now)).count();
                    return queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).equals("0")
                            && queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED).equals("0")
                            && Long.parseLong(queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                                    <= stranded;
                });
    }

    Components components() {
        return components;
    }
}
