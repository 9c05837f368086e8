package run.creativeai.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.TestOutputLinks;
import run.creativeai.gateway.testing.InMemoryLedger;
import run.creativeai.gateway.testing.InMemoryStatus;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.webhook.ActiveSigningSecrets;
import run.creativeai.gateway.webhook.JobDeliverables;
import run.creativeai.gateway.webhook.NoticeBroadcast;
import run.creativeai.gateway.webhook.NoticeEvent;
import run.creativeai.gateway.webhook.SigningSecret;
import run.creativeai.gateway.webhook.WebhookBroadcast;
import run.creativeai.gateway.webhook.WebhookDelivery;
import run.creativeai.gateway.webhook.WebhookMessage;
import run.creativeai.gateway.webhook.WebhookSchedule;
import run.creativeai.gateway.webhook.WebhookSigner;
import run.creativeai.gateway.webhook.WebhookSubject;
import run.creativeai.gateway.webhook.WebhookTask;
import run.creativeai.gateway.webhook.WebhookTransport;

/**
 * Status notices through the webhook delivery that job events use: the same signatures, schedule,
 * dedup and records, to every subscription of every tenant.
 */
class NoticeDeliveryTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId GLOBEX = new TenantId("globex");

    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final InMemoryStatus.Subscriptions store = new InMemoryStatus.Subscriptions();
    private final Subscriptions subscriptions = new Subscriptions(store, clock);
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final Deque<Optional<Integer>> answers = new ArrayDeque<>();
    private final List<Posted> posted = new ArrayList<>();
    private final List<WebhookTask> queued = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final WebhookTransport endpoint = (url, headers, body, timeout) -> {
        posted.add(new Posted(url, headers, body));
        Optional<Integer> status = answers.isEmpty() ? Optional.of(200) : answers.poll();
        return new WebhookTransport.Response(status, status.isPresent() ? Optional.empty() : Optional.of("timed out"),
                Duration.ZERO);
    };
    private final WebhookDelivery delivery = new WebhookDelivery(new JobDeliverables(new InMemoryJobStore(),
            TestOutputLinks.standard(), clock, subscriptions),
            ledger, tenant -> ActiveSigningSecrets.of(new SigningSecret(SECRET)), new WebhookSigner("X-CreativeAI-Signature"),
            endpoint, (task, delay) -> {
                queued.add(task);
                delays.add(delay);
            }, WebhookSchedule.standard(), clock);

    private record Posted(URI url, Map<String, String> headers, byte[] body) {
    }

    private NoticeEvent event() {
        return new NoticeEvent(NoticeEvent.idOf("inc_" + "1".repeat(26), 1), "status.incident.opened", clock.instant(),
                Json.object().put("id", "inc_" + "1".repeat(26)).put("title", "seedream unavailable"));
    }

    private Subscription subscribe(TenantId tenant, String url) {
        Subscriptions.Subscribed result = subscriptions.subscribe(tenant, URI.create(url));
        return ((Subscriptions.Created) result).subscription();
    }

    @Test
    void aBroadcastQueuesTheFirstAttemptForEverySubscriptionOfEveryTenant() {
        subscribe(ACME, "https://acme.example.com/status");
        subscribe(ACME, "https://acme.example.com/pager");
        subscribe(GLOBEX, "https://globex.example.com/hooks");
        NoticeBroadcast broadcast = new NoticeBroadcast(event());
        assertThat(WebhookMessage.read(broadcast.toMessage())).contains(broadcast);
        assertThat(new WebhookBroadcast(subscriptions, (task, delay) -> queued.add(task)).fanOut(broadcast)).isEqualTo(3);
        assertThat(queued).allSatisfy(task -> {
            assertThat(task.attempt()).isEqualTo(1);
            assertThat(((WebhookSubject.Notice) task.subject()).event()).isEqualTo(broadcast.event());
            assertThat(WebhookMessage.read(task.toMessage())).as("the task reads back the same").contains(task);
        });
    }

    @Test
    void aNoticeIsPostedToTheSubscriptionSignedWithItsTenantsSecretAndRecordedBesideIt() throws Exception {
        Subscription subscription = subscribe(ACME, "https://acme.example.com/status");
        WebhookTask task = new WebhookTask(new WebhookSubject.Notice(ACME, subscription.id(), event()), 1, false);
        assertThat(delivery.deliver(task)).isEqualTo(WebhookDelivery.Outcome.DELIVERED);

        Posted post = posted.get(0);
        assertThat(post.url()).isEqualTo(subscription.url());
        assertThat(post.headers()).containsEntry("X-CreativeAI-Event", "status.incident.opened");
        var body = Json.read(new String(post.body(), StandardCharsets.UTF_8));
        assertThat(body.path("type").asText()).isEqualTo("status.incident.opened");
        assertThat(body.path("data").path("title").asText()).isEqualTo("seedream unavailable");
        String id = post.headers().get("webhook-id");
        assertThat(body.path("event_id").asText()).isEqualTo(id);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring(6)), "HmacSHA256"));
        byte[] signed = (id + "." + post.headers().get("webhook-timestamp") + "."
                + new String(post.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(post.headers().get("webhook-signature")).isEqualTo("v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed)));

        Subscription after = subscriptions.list(ACME).get(0);
        assertThat(after.lastDelivery()).hasValueSatisfying(d -> {
            assertThat(d.eventType()).isEqualTo("status.incident.opened");
            assertThat(d.attempt().delivered()).isTrue();
        });
        assertThat(delivery.deliver(task)).as("a copy of the message").isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(posted).hasSize(1);
    }

    @Test
    void aFailedNoticeIsRetriedAfterEachFailureWithTheSameBytesAndStopsAtTheFirstTwoHundred() {
        Subscription subscription = subscribe(GLOBEX, "https://globex.example.com/hooks");
        WebhookTask first = new WebhookTask(new WebhookSubject.Notice(GLOBEX, subscription.id(), event()), 1, false);
        answers.add(Optional.of(503));
        clock.advance(Duration.ofSeconds(1));
        assertThat(delivery.deliver(first)).isEqualTo(WebhookDelivery.Outcome.RETRY_SCHEDULED);
        assertThat(delays).as("5 s after the failure, however late the first attempt was").containsExactly(Duration.ofSeconds(5));
        answers.add(Optional.empty());
        assertThat(delivery.deliver(queued.get(0))).isEqualTo(WebhookDelivery.Outcome.RETRY_SCHEDULED);
        assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(delivery.deliver(queued.get(1))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        assertThat(posted).extracting(p -> new String(p.body(), StandardCharsets.UTF_8)).containsOnly(
                new String(posted.get(0).body(), StandardCharsets.UTF_8));
        assertThat(store.attempts(subscription.id(), posted.get(0).headers().get("webhook-id")))
                .extracting(WebhookAttempt::number).containsExactly(1, 2, 3);
    }

    @Test
    void aDeletedSubscriptionGetsNothingMoreAndAnotherTenantCannotDeleteIt() {
        Subscription subscription = subscribe(ACME, "https://acme.example.com/status");
        assertThat(subscriptions.remove(GLOBEX, subscription.id())).isFalse();
        assertThat(subscriptions.remove(ACME, subscription.id())).isTrue();
        WebhookTask task = new WebhookTask(new WebhookSubject.Notice(ACME, subscription.id(), event()), 1, false);
        assertThat(delivery.deliver(task)).isEqualTo(WebhookDelivery.Outcome.NOTHING_TO_DELIVER);
        assertThat(posted).isEmpty();
    }

    @Test
    void theSameUrlIsOneSubscriptionAndATenantHoldsAtMostTen() {
        Subscription first = subscribe(ACME, "https://acme.example.com/0");
        assertThat(subscriptions.subscribe(ACME, URI.create("https://acme.example.com/0")))
                .isEqualTo(new Subscriptions.Existing(first));
        for (int i = 1; i < Subscriptions.MAX_PER_TENANT; i++) {
            subscribe(ACME, "https://acme.example.com/" + i);
        }
        assertThat(subscriptions.subscribe(ACME, URI.create("https://acme.example.com/10")))
                .isEqualTo(new Subscriptions.LimitReached(Subscriptions.MAX_PER_TENANT));
        assertThat(subscriptions.subscribe(GLOBEX, URI.create("https://acme.example.com/10")))
                .isInstanceOf(Subscriptions.Created.class);
    }
}
