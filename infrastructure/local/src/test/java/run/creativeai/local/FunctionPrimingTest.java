package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.function.callbacks.ProviderCallbackHandler;
import run.creativeai.gateway.function.dispatcher.DispatcherHandler;
import run.creativeai.gateway.function.ingress.IngressHandler;
import run.creativeai.gateway.function.reconciler.ReconcilerHandler;
import run.creativeai.gateway.function.status.StatusHandler;
import run.creativeai.gateway.function.webhook.WebhookHandler;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.local.runtime.CloudResources;
import run.creativeai.local.services.LocalServices;
import run.creativeai.template.Intrinsics;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What priming is for: each function's priming runs its handler's path once, before a snapshot,
 * and leaves nothing a tenant could see (no job, counter, message a function would act on, object
 * or webhook), even with a stuck job in the table that a real reconciler sweep would queue again. The template's tables, queues and secrets are created in
 * services of this test's own, with no queue poller and no schedule, so anything a priming wrote
 * (a job, a counter, a slot, a key claim, a message) would still be there to find.
 */
class FunctionPrimingTest {
    private static final String STACK = "creativeai-priming";

    private static LocalServices services;
    private static Template template;
    private static CloudResources resources;
    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static S3Client s3;

    @BeforeAll
    static void provision() {
        services = LocalServices.start(Optional.empty(), Clock.systemUTC());
        Components clients = new Components(FunctionEnvironment.of(services.awsEnvironment()), Clock.systemUTC());
        dynamo = clients.dynamoDb();
        sqs = clients.sqs();
        template = Template.load(LocalCloudExtension.projectRoot().resolve("template.yaml"));
        Map<String, String> endpoints = new LinkedHashMap<>();
        ModelCatalog.defaults().providers().keySet().forEach(p -> endpoints.put(p, "http://127.0.0.1:9/" + p));
        resources = new CloudResources(template, Map.of("ProviderEndpoints", toJson(endpoints),
                "AllowLoopbackWebhooks", "true"), STACK, services.aws().region(), services.aws().account(),
                URI.create("http://127.0.0.1:9"), SamFunction.all(template).stream().flatMap(f -> f.url().stream())
                        .collect(java.util.stream.Collectors.toMap(SamFunction.FunctionUrl::logicalId,
                                url -> URI.create("http://127.0.0.1:9"))));
        s3 = clients.s3();
        resources.provision(dynamo, sqs, clients.secretsManager(), s3);
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    private static String toJson(Map<String, String> map) {
        List<String> entries = new ArrayList<>();
        map.forEach((k, v) -> entries.add("\"" + k + "\":\"" + v + "\""));
        return "{" + String.join(",", entries) + "}";
    }

    /** The environment the template gives a function, as the local runtime resolves it. */
    private static Map<String, String> environment(String logicalId) {
        SamFunction function = SamFunction.all(template).stream().filter(f -> f.logicalId().equals(logicalId))
                .findFirst().orElseThrow();
        Map<String, String> env = new HashMap<>();
        function.environment().forEach((key, value) -> env.put(key, Intrinsics.resolveString(value, resources)));
        env.putAll(services.awsEnvironment());
        return env;
    }

    /** Every item of every table, every message of every queue (visible, in flight or delayed), every object. */
    private static Map<String, Object> everythingStored() {
        Map<String, Object> stored = new TreeMap<>();
        for (String table : dynamo.listTables().tableNames()) {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(items::add);
            stored.put("table " + table, items.stream().map(Object::toString).sorted().toList());
        }
        for (String url : sqs.listQueues().queueUrls()) {
            stored.put("queue " + url, sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings());
        }
        for (var bucket : s3.listBuckets().buckets()) {
            stored.put("bucket " + bucket.name(), s3.listObjectsV2Paginator(b -> b.bucket(bucket.name())).contents()
                    .stream().map(o -> o.key()).sorted().toList());
        }
        return stored;
    }

    @Test
    void eachFunctionsPrimingRunsItsPathWithoutFailingAndLeavesNothingBehind() {
        Map<String, Object> handlers = new LinkedHashMap<>();
        handlers.put("IngressFunction", new IngressHandler(environment("IngressFunction")));
        handlers.put("DispatcherFunction", new DispatcherHandler(environment("DispatcherFunction")));
        handlers.put("WebhookFunction", new WebhookHandler(environment("WebhookFunction")));
        handlers.put("ProviderCallbackFunction", new ProviderCallbackHandler(environment("ProviderCallbackFunction")));
        handlers.put("ReconcilerFunction", new ReconcilerHandler(environment("ReconcilerFunction")));
        handlers.put("StatusFunction", new StatusHandler(environment("StatusFunction")));
        // A job queued an hour ago and never sent: what a real sweep of the reconciler queues again.
        Job stuck = stuckJob();
        Map<String, Object> before = everythingStored();
        assertThat(before).as("the template's tables and queues").hasSizeGreaterThan(10);

        handlers.forEach((function, handler) -> assertThat(Priming.of(handler).orElseThrow().prime())
                .as("%s's priming ran its handler's path without failing", function).isTrue());

        assertThat(everythingStored()).as("no job, counter, slot, key claim, message or object written by priming")
                .isEqualTo(before);
        assertThat(services.webhooks().deliveries()).as("no webhook delivered").isEmpty();
        // The stuck job was one a sweep acts on: a real run queues it again, where the priming's did not.
        assertThat(((ReconcilerHandler) handlers.get("ReconcilerFunction")).handleRequest(Map.of(), null))
                .as("a real sweep after the priming, with job %s stuck", stuck.id()).containsEntry("requeued", 1);
    }

    private static Job stuckJob() {
        Components reconciler = new Components(FunctionEnvironment.of(environment("ReconcilerFunction")),
                Clock.systemUTC());
        GenerationRequest request = new GenerationRequest(JobKind.IMAGE, "sdxl", "a lighthouse", 1,
                Optional.of("1024x1024"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Job job = Job.admitted(JobId.next(IdSource.random(Clock.systemUTC())), new TenantId("priming-test"),
                new KeyId("key_priming0"), Tier.PRO, "pro", request, "sdxl", Instant.now().minus(Duration.ofHours(1)));
        assertThat(Adapters.jobs(reconciler).create(job)).isTrue();
        return job;
    }
}
