package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.EventId;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.WebhookTask;
import run.creativeai.local.services.WebhookReceiver;

/**
 * Webhook guarantees through the real ingress and webhook functions, SQS and the local receiver:
 * never twice after a 2xx however many copies of a message arrive, redelivery on request, tenant
 * isolation of the webhook route, both signatures during a secret rotation, and the start event for
 * a webhook that subscribed to it.
 */
@ExtendWith(LocalCloudExtension.class)
class WebhookEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud cloud;
    private static Api api;
    private static EndedJobs ended;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        ended = new EndedJobs(cloud);
    }

    private static URI hook(String path) {
        return URI.create(cloud.apiUrl() + "/_local/webhooks" + path);
    }

    private static WebhookReceiver receiver() {
        return cloud.services().webhooks();
    }

    @Test
    void aStormOfDuplicateMessagesForOneEventIsPostedExactlyOnce() throws Exception {
        cloud.issueKey("storm", "pro");
        String path = "/storm-" + System.nanoTime();
        // A slow 2xx widens the window in which duplicates race the first attempt.
        receiver().respond(path, 200, Duration.ofMillis(300));
        Job job = ended.succeeded("storm", hook(path));

        List<WebhookTask> storm = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            storm.add(new WebhookTask(job.id(), 1));
        }
        for (int i = 0; i < 5; i++) {
            storm.add(new WebhookTask(job.id(), 2));
            storm.add(new WebhookTask(job.id(), 3));
            storm.add(WebhookTask.requested(job.id()));
        }
        ended.enqueueConcurrently(storm);
        ended.awaitQueueDrained(Duration.ofSeconds(90));
        ended.enqueueConcurrently(List.of(new WebhookTask(job.id(), 1), WebhookTask.requested(job.id())));
        ended.awaitQueueDrained(Duration.ofSeconds(90));

        List<WebhookReceiver.Delivery> deliveries = receiver().deliveries(path);
        assertThat(deliveries).as("POSTs the receiver got for one event from %d queue messages", storm.size() + 2)
                .hasSize(1);
        assertThat(deliveries.get(0).header("webhook-id")).isEqualTo(EventId.of(job.id(), job.status()));
        Job stored = Adapters.jobs(ended.components()).find(job.id()).orElseThrow();
        assertThat(stored.webhookAttempts()).as("attempts recorded on the job").hasSize(1);
        assertThat(stored.webhookAttempts().get(0).statusCode()).contains(200);
    }

    @Test
    void aWebhookThatAsksForStartHearsGenerationStartedWhenTheProviderAcceptsThenItsEndingEachSignedUnderItsOwnId() {
        var key = cloud.issueKey("start-events", "pro");
        String path = "/start-" + System.nanoTime();
        String id = createWithEvents(key.value(), path, "[\"start\",\"completed\"]");

        List<WebhookReceiver.Delivery> both = receiver().await(d -> d.path().equals(path), 2, Duration.ofSeconds(60));
        assertThat(both).extracting(d -> d.header("X-CreativeAI-Event"))
                .containsExactlyInAnyOrder("generation.started", "generation.succeeded");
        WebhookReceiver.Delivery started = both.stream()
                .filter(d -> d.header("X-CreativeAI-Event").equals("generation.started")).findFirst().orElseThrow();
        assertThat(started.header("webhook-id")).isEqualTo(EventId.started(new run.creativeai.gateway.job.JobId(id)));
        assertThat(both).extracting(d -> d.header("webhook-id")).doesNotHaveDuplicates();
        assertThat(both).as("both verify under the tenant's secret").allSatisfy(d -> assertThat(d.signedBy())
                .contains("start-events"));
        JsonNode body = json(started.bodyText());
        assertThat(body.path("type").asText()).isEqualTo("generation.started");
        assertThat(body.path("data").path("id").asText()).isEqualTo(id);
        assertThat(body.path("data").path("status").asText()).isEqualTo("running");
        assertThat(body.path("data").path("started_at").asText()).isNotEmpty();

        JsonNode view = api.awaitJob(id, key.value(), j -> j.path("webhook").path("attempts").size() == 2,
                Duration.ofSeconds(30));
        assertThat(view.path("webhook").path("events")).extracting(JsonNode::asText)
                .containsExactly("start", "completed");
        assertThat(view.path("webhook").path("attempts")).allSatisfy(a -> {
            assertThat(a.path("number").asInt()).isEqualTo(1);
            assertThat(a.path("delivered").asBoolean()).isTrue();
        });
    }

    @Test
    void aJobWhoseWebhookHearsStartAndCompletedSucceedsPromptlyAndTellsEachOnceInOrder() {
        // The started attempt is recorded once the receiver answers: slower answers land it later, across
        // the window in which the dispatcher has read the job and is writing its end.
        List<Long> answerMillis = List.of(0L, 300L, 600L, 900L, 1200L);
        List<String> paths = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (long millis : answerMillis) {
            String path = "/start-completed-" + millis + "-" + System.nanoTime();
            receiver().respond(path, 200, Duration.ofMillis(millis));
            var key = cloud.issueKey("start-completed-" + millis, "pro");
            paths.add(path);
            keys.add(key.value());
            ids.add(createWithEvents(key.value(), path, "[\"start\",\"completed\"]"));
        }
        for (int i = 0; i < ids.size(); i++) {
            String path = paths.get(i);
            // Far below the reconciler's 15 minutes, which used to be what ended a job whose end write lost.
            JsonNode view = api.awaitJob(ids.get(i), keys.get(i), j -> j.path("status").asText().equals("succeeded")
                    && j.path("webhook").path("attempts").size() == 2, Duration.ofSeconds(90));
            assertThat(view.path("webhook").path("attempts")).as("one delivered attempt of each event")
                    .allSatisfy(a -> assertThat(a.path("delivered").asBoolean()).isTrue());
            receiver().await(d -> d.path().equals(path), 2, Duration.ofSeconds(30));
        }
        ended.awaitQueueDrained(Duration.ofSeconds(60));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(receiver().deliveries(paths.get(i))).as("what the receiver answering after %d ms heard",
                    answerMillis.get(i)).extracting(d -> d.header("X-CreativeAI-Event"))
                    .containsExactly("generation.started", "generation.succeeded");
        }
    }

    @Test
    void aWebhookThatAsksOnlyForStartHearsNothingWhenTheJobEnds() {
        var key = cloud.issueKey("start-only", "pro");
        String path = "/start-only-" + System.nanoTime();
        String id = createWithEvents(key.value(), path, "[\"start\"]");

        api.awaitJob(id, key.value(), j -> j.path("status").asText().equals("succeeded")
                && j.path("webhook").path("attempts").size() == 1, Duration.ofSeconds(60));
        ended.awaitQueueDrained(Duration.ofSeconds(30));
        assertThat(receiver().deliveries(path)).extracting(d -> d.header("X-CreativeAI-Event"))
                .as("the ending was not subscribed to").containsExactly("generation.started");
    }

    @Test
    void anEventFilterThatNamesAnUnknownEventIsA400NamingTheField() {
        var key = cloud.issueKey("bad-filter", "pro");
        Api.Response refused = api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"x\","
                + "\"webhook_url\":\"" + hook("/bad-filter") + "\",\"webhook_events_filter\":[\"logs\"]}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("error").path("param").asText()).isEqualTo("webhook_events_filter");
        assertThat(refused.json().path("error").path("message").asText()).contains("\"start\", \"completed\"");
    }

    /** An sdxl job whose webhook, at {@code path} of the receiver, hears {@code events}; its id. */
    private static String createWithEvents(String key, String path, String events) {
        Api.Response created = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"a dock\","
                + "\"webhook_url\":\"" + hook(path) + "\",\"webhook_events_filter\":" + events + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return created.json().path("id").asText();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void aReceiverThatWasDownCanAskForTheEventAgainOnceAndNeverAfterA2xx() throws Exception {
        var key = cloud.issueKey("redeliver", "pro");
        String path = "/redeliver-" + System.nanoTime();
        receiver().respond(path, 503, Duration.ZERO);
        Job job = ended.succeeded("redeliver", hook(path));
        String route = "/v1/generations/" + job.id() + "/webhook";

        Api.Response first = api.post(route, key.value(), "");
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.json().path("event_id").asText()).isEqualTo(EventId.of(job.id(), job.status()));
        assertThat(first.header("Location")).isEqualTo("/v1/generations/" + job.id());
        assertThat(receiver().await(d -> d.path().equals(path), 1, Duration.ofSeconds(20))).hasSize(1);
        JsonNode failed = api.awaitJob(job.id().value(), key.value(),
                j -> j.path("webhook").path("attempts").size() == 1, Duration.ofSeconds(30));
        JsonNode attempt = failed.path("webhook").path("attempts").get(0);
        assertThat(attempt.path("number").asInt()).as("numbered after the schedule's three").isEqualTo(4);
        assertThat(attempt.path("status_code").asInt()).isEqualTo(503);
        assertThat(attempt.path("delivered").asBoolean()).isFalse();

        receiver().respond(path, 200, Duration.ZERO);
        assertThat(api.post(route, key.value(), "").status()).isEqualTo(202);
        List<WebhookReceiver.Delivery> both = receiver().await(d -> d.path().equals(path), 2, Duration.ofSeconds(20));
        assertThat(both).hasSize(2);
        assertThat(both.get(1).body()).as("the same event, byte for byte").isEqualTo(both.get(0).body());
        assertThat(both.get(1).header("webhook-id")).isEqualTo(both.get(0).header("webhook-id"));
        api.awaitJob(job.id().value(), key.value(), j -> j.path("webhook").path("attempts").size() == 2,
                Duration.ofSeconds(30));

        Api.Response again = api.post(route, key.value(), "");
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.json().path("error").path("code").asText()).isEqualTo("already_delivered");
    }

    @Test
    void theWebhookRouteRefusesJobsThatCannotBeRedelivered() {
        var key = cloud.issueKey("redeliver-refusals", "pro");
        String id = api.post("/v1/images/generations", key.value(), "{\"model\":\"sdxl\",\"prompt\":\"no hook\"}")
                .json().path("id").asText();
        Api.Response noHook = api.post("/v1/generations/" + id + "/webhook", key.value(), "");
        assertThat(noHook.status()).as(noHook.toString()).isEqualTo(409);
        assertThat(noHook.json().path("error").path("code").asText()).isIn("no_webhook_url");
        assertThat(api.post("/v1/generations/gen_00000000000000000000000000/webhook", key.value(), "").status())
                .isEqualTo(404);
        assertThat(api.post("/v1/generations/not-an-id/webhook", key.value(), "").status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsJobIsNotFoundOnEveryRouteThatNamesAJob() {
        var owner = cloud.issueKey("isolation-owner", "pro");
        var stranger = cloud.issueKey("isolation-stranger", "pro");
        Job job = ended.succeeded("isolation-owner", hook("/isolation-" + System.nanoTime()));
        String missing = "gen_00000000000000000000000000";
        for (String route : List.of("GET /v1/generations/%s", "POST /v1/generations/%s/webhook")) {
            Api.Response theirs = call(route, job.id().value(), stranger.value());
            Api.Response nobodys = call(route, missing, stranger.value());
            assertThat(theirs.status()).as(route + " on another tenant's job: " + theirs).isEqualTo(404);
            assertThat(theirs.json().path("error").path("code").asText())
                    .isEqualTo(nobodys.json().path("error").path("code").asText());
            assertThat(theirs.json().path("error").path("message").asText().replace(job.id().value(), missing))
                    .as("the answer for someone else's job is the answer for no job")
                    .isEqualTo(nobodys.json().path("error").path("message").asText());
            assertThat(call(route, job.id().value(), owner.value()).status()).as(route + " for the owner").isIn(200, 202);
        }
    }

    @Test
    void duringARotationEveryDeliveryIsSignedWithTheOldAndTheNewSecret() throws Exception {
        cloud.issueKey("rotating", "pro");
        TenantId tenant = new TenantId("rotating");
        SigningSecret old = cloud.administration().signingSecret(tenant);
        SigningSecret next = cloud.administration().rotateSigningSecret(tenant);
        String path = "/rotating-" + System.nanoTime();
        Job job = ended.succeeded("rotating", hook(path));
        ended.enqueue(new WebhookTask(job.id(), 1));

        WebhookReceiver.Delivery delivery = receiver().await(d -> d.path().equals(path), 1, Duration.ofSeconds(20)).get(0);
        String signed = delivery.header("webhook-id") + "." + delivery.header("webhook-timestamp") + "."
                + delivery.bodyText();
        assertThat(delivery.header("webhook-signature").split(" "))
                .containsExactly("v1," + base64Hmac(old, signed), "v1," + base64Hmac(next, signed));
        assertThat(delivery.header("x-creativeai-signature").split(", "))
                .containsExactly("sha256=" + hexHmac(old, delivery.body()), "sha256=" + hexHmac(next, delivery.body()));
        assertThat(delivery.signedBy()).as("the receiver, holding the old secret, verifies").contains("rotating");
        cloud.administration().finishSigningSecretRotation(tenant);
    }

    @Test
    void aStoredUrlWithAnImpossiblePortEndsInRecordedFailedAttemptsNotInTheDeadLetterQueue() throws Exception {
        var key = cloud.issueKey("impossible-port", "pro");
        // Submission refuses such a URL now; a job admitted before that rule still holds one.
        Job job = ended.succeeded("impossible-port", URI.create("http://127.0.0.1:99999/x"),
                java.time.Instant.now().minusSeconds(60));
        ended.enqueue(new WebhookTask(job.id(), 1));

        JsonNode seen = api.awaitJob(job.id().value(), key.value(),
                j -> j.path("webhook").path("attempts").size() == 3, Duration.ofSeconds(60));
        JsonNode attempts = seen.path("webhook").path("attempts");
        assertThat(attempts).as("every attempt of the schedule is recorded: " + seen).hasSize(3);
        for (JsonNode attempt : attempts) {
            assertThat(attempt.path("delivered").asBoolean()).isFalse();
            assertThat(attempt.path("error").asText()).contains("port from 1 to 65535");
        }
        ended.awaitQueueDrained(Duration.ofSeconds(30));
        assertThat(deadLetters()).as("the webhook dead-letter queue holds nothing of this job")
                .noneMatch(body -> body.contains(job.id().value()));

        Api.Response redeliver = api.post("/v1/generations/" + job.id() + "/webhook", key.value(), "");
        assertThat(redeliver.status()).as(redeliver.toString()).isEqualTo(409);
        assertThat(redeliver.json().path("error").path("code").asText()).isEqualTo("invalid_webhook_url");
        assertThat(redeliver.json().path("error").path("message").asText()).contains("webhook_url")
                .contains("port from 1 to 65535");
    }

    /** The bodies in the webhook dead-letter queue, read without taking them. */
    private static List<String> deadLetters() {
        String url = cloud.runtime().resources().queueUrl("WebhookDeadLetterQueue");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            cloud.runtime().sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0))
                    .messages().forEach(m -> bodies.add(m.body()));
        }
        return bodies;
    }

    private static Api.Response call(String route, String id, String key) {
        String[] parts = route.formatted(id).split(" ", 2);
        return parts[0].equals("GET") ? api.get(parts[1], key) : api.post(parts[1], key, "");
    }

    private static String base64Hmac(SigningSecret secret, String data) throws Exception {
        return Base64.getEncoder().encodeToString(hmac(secret, data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static String hexHmac(SigningSecret secret, byte[] data) throws Exception {
        return HexFormat.of().formatHex(hmac(secret, data));
    }

    private static byte[] hmac(SigningSecret secret, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.reveal().substring("whsec_".length())), "HmacSHA256"));
        return mac.doFinal(data);
    }
}
