package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The account's reads: the quota with its unlimited rules, usage grouped as asked, and the models. */
class AccountTest {
    private final ScriptedApi api = new ScriptedApi();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url() + "/").apiKey("sk-test").build();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theQuotaReadsUnlimitedRulesAsAbsent() {
        api.then(200, "{\"tier\":\"pro\",\"daily_tasks\":{\"limit\":null,\"used\":null,\"remaining\":null},"
                + "\"concurrent_tasks\":{\"limit\":25,\"active\":3},\"resets_at\":\"2026-12-06T00:00:00Z\","
                + "\"max_cancel_after_seconds\":null,\"credits\":{\"currency\":\"credits\",\"balance\":500,\"reserved\":12}}");
        Quota quota = client.quota();
        assertThat(quota.tier()).isEqualTo("pro");
        assertThat(quota.dailyLimit()).isEmpty();
        assertThat(quota.concurrentLimit()).hasValue(25);
        assertThat(quota.concurrentActive()).isEqualTo(3);
        assertThat(quota.resetsAt()).contains(Instant.parse("2026-12-06T00:00:00Z"));
        assertThat(quota.creditBalance()).hasValue(500);
        assertThat(quota.maxCancelAfterSeconds()).as("no bound on the deadline").isEmpty();
        assertThat(api.received().get(0).path()).isEqualTo("/v1/quota");
        assertThat(api.received().get(0).header("Authorization")).isEqualTo("Bearer sk-test");
    }

    @Test
    void usageIsAskedForItsDaysAndGroupAndReadPerGroup() {
        api.then(200, "{\"object\":\"usage\",\"from\":\"2026-12-01\",\"to\":\"2026-12-05\",\"group_by\":\"key\","
                + "\"data\":[{\"key_id\":\"key_1\",\"jobs_admitted\":4,\"jobs_succeeded\":3,\"jobs_failed\":1,"
                + "\"jobs_canceled\":0,\"images\":6,\"video_seconds\":0,\"credits_charged\":12,\"credits_refunded\":4}]}");
        Usage usage = client.usage(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-05"), "key");
        assertThat(api.received().get(0).path()).isEqualTo("/v1/usage?from=2026-12-01&to=2026-12-05&group_by=key");
        assertThat(usage.rows()).singleElement().satisfies(row -> {
            assertThat(row.group()).isEqualTo("key_1");
            assertThat(row.jobsSucceeded()).isEqualTo(3);
            assertThat(row.creditsCharged()).isEqualTo(12);
        });
    }

    @Test
    void modelsListTheirOperationsAndFailoverChain() {
        api.then(200, "{\"object\":\"list\",\"data\":[{\"id\":\"sdxl\",\"object\":\"model\",\"kind\":\"image\","
                + "\"aliases\":[],\"operations\":[\"text-to-image\",\"upscale\"],\"failover_chain\":[\"sdxl\",\"flux\"]}]}");
        assertThat(client.listModels()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("image");
            assertThat(m.failoverChain()).containsExactly("sdxl", "flux");
        });
    }
}
