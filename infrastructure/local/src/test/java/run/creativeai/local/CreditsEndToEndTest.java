package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.local.services.WebhookReceiver;

/**
 * Credits through HTTP, as a customer meets them: a job reserves the most its chain may cost, is
 * charged the model that served it and refunded the rest; the cost is on the job and in its webhook;
 * the balance, the quota and the usage route agree; a 402 says what was short.
 */
@ExtendWith(LocalCloudExtension.class)
class CreditsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB = Duration.ofSeconds(60);
    private static LocalCloud cloud;
    private static Api api;
    private static JobStore jobs;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        jobs = Adapters.jobs(new Components(
                FunctionEnvironment.of(cloud.runtime().function("DispatcherFunction").environment()), Clock.systemUTC()));
    }

    /** A new tenant on {@code plan} with exactly {@code credits} to spend; its API key. */
    private static String tenantWith(String name, String plan, long credits) {
        String key = cloud.issueKey(name, plan).value();
        cloud.accounts().setCredits(new TenantId(name), credits, "credits test");
        return key;
    }

    private static Balance balance(String tenant) {
        return cloud.accounts().show(new TenantId(tenant)).balance();
    }

    private static JsonNode ended(String id, String key) {
        return api.awaitJob(id, key, j -> List.of("succeeded", "failed", "canceled").contains(j.path("status").asText()),
                JOB);
    }

    private static void providerMode(String provider, String mode) {
        assertThat(cloud.services().providers().configure(provider, JSON.createObjectNode().put("mode", mode)))
                .as(provider).isPresent();
    }

    /** Whether a provider has accepted the job: its attempt carries the provider's job id (the API does not show it). */
    private static boolean acceptedByItsProvider(String id) {
        return jobs.find(new JobId(id)).flatMap(Job::currentAttempt).flatMap(ProviderAttempt::providerJobId).isPresent();
    }

    private static void awaitSettled(String tenant, Balance expected) {
        await("the balance of " + tenant + " settles to " + expected).atMost(JOB).pollInterval(Duration.ofMillis(200))
                .until(() -> balance(tenant).equals(expected));
    }

    @Test
    void aJobIsChargedTheModelThatServedItTheRestIsRefundedAndTheWebhookCarriesTheCost() throws Exception {
        String tenant = "credits-served-" + System.nanoTime();
        String key = tenantWith(tenant, "pro", 1_000);
        String hook = "/" + tenant;
        Api.Response created = api.post("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"a harbour\","
                + "\"n\":2,\"webhook_url\":\"" + cloud.apiUrl() + "/_local/webhooks" + hook + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        assertThat(created.json().path("cost").toString())
                .isEqualTo("{\"currency\":\"credits\",\"reserved\":60,\"charged\":null,\"refunded\":null}");
        assertThat(api.get("/v1/quota", key).json().path("credits").toString()).as("held while it runs")
                .isEqualTo("{\"currency\":\"credits\",\"balance\":940,\"reserved\":60}");

        JsonNode job = ended(created.json().path("id").asText(), key);
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("cost").toString())
                .isEqualTo("{\"currency\":\"credits\",\"reserved\":60,\"charged\":60,\"refunded\":0}");
        awaitSettled(tenant, new Balance(940, 0));
        WebhookReceiver.Delivery delivery = cloud.services().webhooks().await(d -> d.path().equals(hook), 1, JOB).get(0);
        assertThat(JSON.readTree(delivery.bodyText()).path("data").path("cost")).as("the webhook's job")
                .isEqualTo(job.path("cost"));
    }

    @Test
    void aJobServedByACheaperLinkOfItsChainIsRefundedTheDifference() {
        String tenant = "credits-failover-" + System.nanoTime();
        String key = tenantWith(tenant, "pro", 1_000);
        providerMode("seedream", "down");
        try {
            String id = api.post("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"a fox\"}")
                    .json().path("id").asText();
            JsonNode job = ended(id, key);
            assertThat(job.path("model_actual").asText()).isNotEqualTo("seedream");
            assertThat(job.path("cost").path("reserved").asLong()).isEqualTo(30);
            assertThat(job.path("cost").path("charged").asLong()).as("flux or sdxl: 4 credits an image").isEqualTo(4);
            assertThat(job.path("cost").path("refunded").asLong()).isEqualTo(26);
            awaitSettled(tenant, new Balance(996, 0));
        } finally {
            providerMode("seedream", "up");
        }
    }

    @Test
    void aRequestTheBalanceCannotCoverIs402CountsNoLimitAndABatchReservesTaskByTask() {
        String tenant = "credits-short-" + System.nanoTime();
        String key = tenantWith(tenant, "pro", 40);
        Api.Response refused = api.post("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"x\",\"n\":2}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("insufficient_credits");
        assertThat(refused.json().path("balance").asLong()).isEqualTo(40);
        assertThat(refused.json().path("required").asLong()).isEqualTo(60);
        JsonNode quota = api.get("/v1/quota", key).json();
        for (JsonNode rule : quota.path("rate_limits")) {
            if (!rule.path("rule").asText().equals("reads_per_minute")) {
                assertThat(rule.path("used").asLong()).as("the refusal counted nothing on " + rule.path("rule")).isZero();
            }
        }

        Api.Response batch = api.post("/v1/generations/batch", key, "{\"tasks\":["
                + "{\"kind\":\"image\",\"model\":\"seedream\",\"prompt\":\"one\"},"
                + "{\"kind\":\"image\",\"model\":\"seedream\",\"prompt\":\"two\"}]}");
        JsonNode results = batch.json().path("results");
        assertThat(results.get(0).path("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).path("status").asInt()).as(batch.toString()).isEqualTo(402);
        assertThat(results.get(1).path("balance").asLong()).isEqualTo(10);
        assertThat(batch.json().path("admitted").asInt()).isEqualTo(1);
    }

    @Test
    void aKeyBudgetRefusesWhatItCannotCoverNamingTheBudget() {
        String tenant = "credits-budget-" + System.nanoTime();
        String key = tenantWith(tenant, "pro", 1_000);
        TenantId id = new TenantId(tenant);
        cloud.accounts().setKeyBudget(id, cloud.administration().keys(id).get(0).keyId(), Optional.of(50L), "test");
        assertThat(api.post("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"x\"}").status())
                .isEqualTo(202);
        Api.Response over = api.post("/v1/images/generations", key, "{\"model\":\"seedream\",\"prompt\":\"x\"}");
        assertThat(over.status()).as(over.toString()).isEqualTo(402);
        assertThat(over.json().path("error").path("code").asText()).isEqualTo("key_budget_exceeded");
        assertThat(over.json().path("error").path("budget").asText()).isEqualTo("max_credits_per_day");
        assertThat(over.json().path("budget").path("remaining").asLong()).isEqualTo(20);
        assertThat(balance(tenant).available() + balance(tenant).reserved()).as("the refused job reserved nothing")
                .isEqualTo(1_000);
    }

    @Test
    void aQueuedJobCancelledCostsNothingAndOneCancelledWhileItsProviderWorksIsChargedThatProvidersPrice() {
        String tenant = "credits-cancel-" + System.nanoTime();
        String key = tenantWith(tenant, "pro", 2_000);
        // Kling takes its seed's 45 s a video: cancelled while running at the provider.
        String running = api.post("/v1/video/generations", key, "{\"model\":\"kling\",\"prompt\":\"waves\",\"duration\":5}")
                .json().path("id").asText();
        await("kling accepted the job").atMost(JOB).pollInterval(Duration.ofMillis(200))
                .until(() -> acceptedByItsProvider(running));
        JsonNode canceled = api.delete("/v1/generations/" + running, key).json();
        assertThat(canceled.path("status").asText()).isEqualTo("canceled");
        assertThat(canceled.path("cost").toString()).as("the provider had started the work")
                .isEqualTo("{\"currency\":\"credits\",\"reserved\":250,\"charged\":250,\"refunded\":0}");
        awaitSettled(tenant, new Balance(1_750, 0));
    }

    @Test
    void theUsageRouteSumsSettledJobsByDayModelAndKeyAndRefusesBadParametersNamingThem() {
        String tenant = "credits-usage-" + System.nanoTime();
        String key = tenantWith(tenant, "pro", 1_000);
        String first = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"a\",\"n\":3}")
                .json().path("id").asText();
        String second = api.post("/v1/images/generations", key, "{\"model\":\"sdxl\",\"prompt\":\"b\"}")
                .json().path("id").asText();
        ended(first, key);
        ended(second, key);
        awaitSettled(tenant, new Balance(984, 0));
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        Api.Response byModel = api.get("/v1/usage?from=" + today + "&to=" + today + "&group_by=model", key);
        assertThat(byModel.status()).as(byModel.toString()).isEqualTo(200);
        assertThat(byModel.header("X-RateLimit-Limit")).as("a read, counted against the reads limit").isEqualTo("120");
        JsonNode line = byModel.json().path("data").get(0);
        assertThat(line.path("model").asText()).isEqualTo("sdxl");
        assertThat(line.path("jobs_admitted").asLong()).isEqualTo(2);
        assertThat(line.path("jobs_succeeded").asLong()).isEqualTo(2);
        assertThat(line.path("images").asLong()).isEqualTo(4);
        assertThat(line.path("credits_charged").asLong()).isEqualTo(16);
        assertThat(byModel.json().path("total").path("credits_charged").asLong()).isEqualTo(16);
        assertThat(api.get("/v1/usage?group_by=key", key).json().path("data").get(0).path("key_id").asText())
                .startsWith("key_");
        assertThat(api.get("/v1/usage?group_by=day", key).json().path("data").get(0).path("day").asText())
                .isEqualTo(today);

        Api.Response backwards = api.get("/v1/usage?from=2026-11-24&to=2026-11-23", key);
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().path("error").path("param").asText()).isEqualTo("to");
        assertThat(api.get("/v1/usage?from=2024-01-01&to=2026-01-01", key).json().path("error").path("message").asText())
                .contains("at most 400");
        assertThat(api.get("/v1/usage?from=23-11-2026", key).json().path("error").path("param").asText()).isEqualTo("from");
        assertThat(api.get("/v1/usage?group_by=hour", key).json().path("error").path("param").asText())
                .isEqualTo("group_by");
    }
}
