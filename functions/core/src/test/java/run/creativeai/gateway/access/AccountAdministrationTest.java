package run.creativeai.gateway.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.SlotClaim;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.KeyRegistry;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.testing.InMemoryAccountStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.MutableClock;

/**
 * What operators change about a tenant: each change is checked first (a bad one changes nothing and
 * says what is wrong), recorded with who and when, and copied onto the tenant's keys.
 */
class AccountAdministrationTest {
    private static final TenantId ACME = new TenantId("acme");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryAccountStore store = new InMemoryAccountStore();
    private final InMemorySlotPool slots = new InMemorySlotPool();
    private final Keys keys = new Keys();
    private final ProviderCapacity capacity = ProviderCapacity.configured(slots, ModelCatalog.defaults(),
            Optional.of("{\"kling\":4}"), 0.1, PollSchedule.standard());
    private final AccountAdministration accounts = new AccountAdministration(store, keys, PlanCatalog.defaults(),
            capacity, clock);

    /** Keys in memory: what the administration copied onto them. */
    private static final class Keys implements KeyRegistry {
        final List<TenantTerms> copied = new ArrayList<>();

        @Override
        public void put(ApiKeyRecord record) {
        }

        @Override
        public List<ApiKeyRecord> keysOf(TenantId tenant) {
            return List.of(new ApiKeyRecord("hash", new KeyId("key_acme1"), tenant, "pro", TenantStanding.ACTIVE, false));
        }

        @Override
        public boolean revoke(TenantId tenant, KeyId key) {
            return false;
        }

        @Override
        public void copyTerms(TenantId tenant, TenantTerms terms) {
            copied.add(terms);
        }

        @Override
        public boolean setBudget(TenantId tenant, KeyId key, Optional<Long> maxCreditsPerDay) {
            return key.value().equals("key_acme1");
        }
    }

    @Test
    void aTopUpAddsToTheBalanceAndIsRecordedWithWhoAndWhen() {
        accounts.addCredits(ACME, 500, "ops@example.com");
        assertThat(accounts.addCredits(ACME, 250, "ops@example.com")).isEqualTo(new Balance(750, 0));
        AuditEntry last = accounts.audit(ACME, 1).get(0);
        assertThat(last.actor()).isEqualTo("ops@example.com");
        assertThat(last.at()).isEqualTo(clock.instant());
        assertThat(last.action()).isEqualTo("credits add");
        assertThat(last.detail()).contains("+250").contains("500");
    }

    @Test
    void negativeZeroAndAbsurdTopUpsAreRefusedAndChangeNothing() {
        accounts.addCredits(ACME, 100, "ops");
        assertThatThrownBy(() -> accounts.addCredits(ACME, -5, "ops")).hasMessageContaining("from 1 to 1000000000");
        assertThatThrownBy(() -> accounts.addCredits(ACME, 0, "ops")).hasMessageContaining("from 1 to 1000000000");
        assertThatThrownBy(() -> accounts.addCredits(ACME, 1_000_000_001L, "ops")).hasMessageContaining("not 1000000001");
        assertThatThrownBy(() -> accounts.setCredits(ACME, -1, "ops")).hasMessageContaining("from 0 to 1000000000");
        assertThat(accounts.show(ACME).balance()).isEqualTo(new Balance(100, 0));
        assertThat(accounts.audit(ACME, 10)).hasSize(1);
    }

    @Test
    void aCustomLimitOverridesOneRuleByTheNameCustomersSeeAndReachesTheKeys() {
        TenantTerms terms = accounts.setLimit(ACME, "plan_requests_per_minute", "5000", "ops");
        assertThat(terms.limits()).isEqualTo("{\"requests_per_minute\":5000}");
        terms = accounts.setLimit(ACME, "model.flux.images_per_minute", "unlimited", "ops");
        terms = accounts.setLimit(ACME, "video.concurrent", "1", "ops");
        assertThat(terms.limits()).isEqualTo("{\"requests_per_minute\":5000,\"model_limits\":{\"flux\":\"unlimited\"},"
                + "\"video\":{\"concurrent\":1}}");
        assertThat(terms.version()).isEqualTo(3);
        assertThat(keys.copied).last().isEqualTo(terms);
        terms = accounts.clearLimit(ACME, "concurrent_video_jobs", "ops");
        assertThat(terms.limits()).isEqualTo("{\"requests_per_minute\":5000,\"model_limits\":{\"flux\":\"unlimited\"}}");
        assertThat(PlanCatalog.defaults().planFor("pro", ACME, terms).orElseThrow().limits().requestsPerMinute().max())
                .isEqualTo(5000);
    }

    @Test
    void anOperationsOwnRuleIsOverriddenByItsNameAsWell() {
        TenantTerms terms = accounts.setLimit(ACME, "operation.upscale.images_per_minute", "50", "ops");
        assertThat(terms.limits()).isEqualTo("{\"operation_limits\":{\"upscale\":50}}");
        assertThat(PlanCatalog.defaults().planFor("pro", ACME, terms).orElseThrow().limits()
                .operationUnitsPerMinute(run.creativeai.gateway.model.Operation.UPSCALE).max()).isEqualTo(50);
    }

    @Test
    void aKindsLimitsAreOverriddenByTheirRuleOrFieldAndTheOtherFieldIsThePlans() {
        TenantTerms terms = accounts.setLimit(ACME, "concurrent_trainings", "3", "ops");
        terms = accounts.setLimit(ACME, "workflows.requests_per_minute", "60", "ops");
        assertThat(terms.limits()).isEqualTo("{\"training\":{\"concurrent\":3},\"workflows\":{\"requests_per_minute\":60}}");
        var limits = PlanCatalog.defaults().planFor("starter", ACME, terms).orElseThrow().limits();
        assertThat(limits.work(run.creativeai.gateway.plan.WorkKind.TRAINING)).isEqualTo(
                new run.creativeai.gateway.plan.WorkLimits(run.creativeai.gateway.plan.Limit.of(5),
                        run.creativeai.gateway.plan.Limit.of(3)));
        assertThat(limits.work(run.creativeai.gateway.plan.WorkKind.WORKFLOW).creates().max()).isEqualTo(60);
        assertThatThrownBy(() -> accounts.setLimit(ACME, "training_requests_per_hour", "5000", "ops"))
                .hasMessageContaining("training: requests_per_hour is a rolling window and allows at most 1000");
    }

    @Test
    void anOverrideOfARuleThatDoesNotExistOrOfABadValueIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> accounts.setLimit(ACME, "requests_per_fortnight", "5", "ops"))
                .hasMessageContaining("no rule requests_per_fortnight").hasMessageContaining("plan_requests_per_minute");
        assertThatThrownBy(() -> accounts.setLimit(ACME, "model.kling.images_per_minute", "5", "ops"))
                .as("kling counts requests, not images").hasMessageContaining("no rule");
        assertThatThrownBy(() -> accounts.setLimit(ACME, "tier", "enterprise", "ops")).hasMessageContaining("no rule");
        assertThatThrownBy(() -> accounts.setLimit(ACME, "daily_tasks", "-3", "ops")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> accounts.setLimit(ACME, "daily_tasks", "lots", "ops")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> accounts.setLimit(ACME, "model.flux.images_per_minute", "2", "ops"))
                .as("fewer images than one request may ask for").hasMessageContaining("at least 4");
        assertThatThrownBy(() -> accounts.clearLimit(ACME, "daily_tasks", "ops")).hasMessageContaining("no custom limit");
        assertThat(accounts.show(ACME).terms()).isEqualTo(TenantTerms.none());
        assertThat(accounts.audit(ACME, 10)).isEmpty();
        assertThat(keys.copied).isEmpty();
    }

    @Test
    void slotsReservedForATenantAreSetAsideAtItsProviderAndNamedInItsTerms() {
        TenantTerms terms = accounts.reserve(ACME, "kling", 2, "ops");
        assertThat(terms.dedicatedSlots()).containsExactly(Map.entry("kling", 2));
        assertThat(slots.usage(ProviderCapacity.pool("kling"), clock.instant()).active()).isEqualTo(2);
        assertThat(accounts.reserve(ACME, "kling", 0, "ops").dedicatedSlots()).isEmpty();
        assertThat(slots.usage(ProviderCapacity.pool("kling"), clock.instant()).active()).isZero();
    }

    @Test
    void aReservationLargerThanTheProviderOrThanItHasFreeOrOfAnUnknownProviderChangesNothing() {
        assertThatThrownBy(() -> accounts.reserve(ACME, "kling", 5, "ops")).hasMessageContaining("kling has 4 slots");
        assertThatThrownBy(() -> accounts.reserve(ACME, "kling", -1, "ops")).hasMessageContaining("from 0 to 4");
        assertThatThrownBy(() -> accounts.reserve(ACME, "dalle", 1, "ops")).hasMessageContaining("unknown provider dalle");
        for (int i = 0; i < 3; i++) {
            slots.acquire(new SlotClaim(ProviderCapacity.pool("kling"), "busy#" + i, Optional.of("pro"), 4, Map.of(),
                    clock.instant().plusSeconds(600)), clock.instant());
        }
        assertThatThrownBy(() -> accounts.reserve(ACME, "kling", 2, "ops")).hasMessageContaining("kling has 1 slots free now");
        assertThat(accounts.show(ACME).terms()).isEqualTo(TenantTerms.none());
        assertThat(accounts.audit(ACME, 10)).isEmpty();
        assertThat(slots.acquire(new SlotClaim(ProviderCapacity.pool("kling"), "busy#3", Optional.of("pro"), 4, Map.of(),
                clock.instant().plusSeconds(600)), clock.instant())).isInstanceOf(SlotGrant.Granted.class);
    }

    @Test
    void aKeyBudgetIsSetOnAKeyOfTheTenantOnly() {
        accounts.setKeyBudget(ACME, new KeyId("key_acme1"), Optional.of(500L), "ops");
        assertThat(accounts.audit(ACME, 1).get(0).detail()).isEqualTo("key_acme1: max_credits_per_day = 500");
        assertThatThrownBy(() -> accounts.setKeyBudget(ACME, new KeyId("key_other"), Optional.of(5L), "ops"))
                .hasMessageContaining("has no key key_other");
        assertThatThrownBy(() -> accounts.setKeyBudget(ACME, new KeyId("key_acme1"), Optional.of(0L), "ops"))
                .hasMessageContaining("from 1");
    }
}
