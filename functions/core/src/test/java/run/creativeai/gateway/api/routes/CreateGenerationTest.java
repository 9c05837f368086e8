package run.creativeai.gateway.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.api.AdmissionReplies;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationInputs;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.JobWait;
import run.creativeai.gateway.api.Quotas;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.pricing.PriceList;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.ReferenceLimiter;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/** What a creation request is answered when money stops it: 402s, each with its own code and what it needs. */
class CreateGenerationTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:10Z");
    private final ReferenceLimiter limiter = new ReferenceLimiter();
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final List<Job> queued = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final QueueBackpressure backpressure = new QueueBackpressure(tier -> 0, 10_000, clock);
    private final AdmissionService admissions = new AdmissionService(new AdmissionPolicy(), limiter, jobs,
            (job, delay) -> queued.add(job), ModelCatalog.defaults(), PriceList.defaults(ModelCatalog.defaults()),
            job -> { }, backpressure,
            () -> String.format("%026d", ids.incrementAndGet()), clock, (job, delay) -> { });
    private final Quotas quotas = new Quotas(admissions, TenantConcurrency.standard(new InMemorySlotPool(),
            PlanCatalog.defaults(), ModelCatalog.defaults(), PollSchedule.standard(), TierCapsOfTheSeeds.CAPS,
            TierCapsOfTheSeeds.SHARDS), tenant -> new Balance(limiter.available(tenant.value()),
            limiter.reserved(tenant.value())));
    private final CreateGeneration route = new CreateGeneration(JobKind.IMAGE,
            new GenerationRequestParser(ModelCatalog.defaults(), WebhookUrlPolicy.loopbackOnly()), textOnly(), admissions,
            new AdmissionReplies(quotas, new run.creativeai.gateway.api.JobReplies(jobs,
                    backpressure, run.creativeai.gateway.testing.TestOutputLinks.standard(), clock), clock),
            new JobWait(jobs, clock, d -> { }));

    /** Input checks for requests that have no input images: these tests ask only for text-to-image. */
    private GenerationInputs textOnly() {
        run.creativeai.gateway.testing.InMemoryMedia media = new run.creativeai.gateway.testing.InMemoryMedia();
        return new GenerationInputs(new run.creativeai.gateway.uploads.InputImages(media, media, (url, max, timeout) -> {
            throw new AssertionError("no input image is fetched for text-to-image");
        }, run.creativeai.gateway.media.MediaLimits.standard(java.time.Duration.ofDays(1)),
                run.creativeai.gateway.config.IdSource.random(clock), clock),
                new run.creativeai.gateway.testing.InMemoryTrainedModels());
    }

    private Principal principal(TenantStanding standing, Optional<Long> budget) {
        return new Principal(new TenantId("acme"), new KeyId("key_money1"), PlanCatalog.defaults().find("pro").orElseThrow(),
                standing, TenantTerms.none(), budget);
    }

    private ApiResponse post(Principal principal, String body) {
        return route.handle(new ApiRequest(GatewayApi.CREATE_IMAGE, Map.of(), Map.of(),
                body.getBytes(StandardCharsets.UTF_8), "req-1", clock.instant()), principal);
    }

    @Test
    void aTenantShortOfCreditsGets402SayingItsBalanceAndWhatTheJobNeeds() {
        limiter.fund("acme", 50);
        ApiResponse response = post(principal(TenantStanding.ACTIVE, Optional.empty()),
                "{\"model\":\"seedream\",\"prompt\":\"x\",\"n\":2}");
        assertThat(response.status()).isEqualTo(402);
        JsonNode body = Json.read(response.body());
        assertThat(body.path("error").path("type").asText()).isEqualTo("billing_error");
        assertThat(body.path("error").path("code").asText()).isEqualTo("insufficient_credits");
        assertThat(body.path("error").path("param").isNull()).isTrue();
        assertThat(body.path("error").path("message").asText()).contains("60 credits").contains("50 are available");
        assertThat(body.path("balance").asLong()).isEqualTo(50);
        assertThat(body.path("required").asLong()).isEqualTo(60);
        assertThat(response.headers()).containsKey("X-RateLimit-Limit").doesNotContainKey("Retry-After");
        assertThat(queued).isEmpty();
    }

    @Test
    void aKeyOverItsDailyBudgetGets402NamingTheBudget() {
        limiter.fund("acme", 1_000);
        Principal budgeted = principal(TenantStanding.ACTIVE, Optional.of(70L));
        assertThat(post(budgeted, "{\"model\":\"seedream\",\"prompt\":\"x\",\"n\":2}").status()).isEqualTo(202);
        ApiResponse response = post(budgeted, "{\"model\":\"seedream\",\"prompt\":\"x\"}");
        assertThat(response.status()).isEqualTo(402);
        JsonNode body = Json.read(response.body());
        assertThat(body.path("error").path("code").asText()).isEqualTo("key_budget_exceeded");
        assertThat(body.path("error").path("budget").asText()).isEqualTo("max_credits_per_day");
        assertThat(body.path("budget").path("limit").asLong()).isEqualTo(70);
        assertThat(body.path("budget").path("remaining").asLong()).isEqualTo(10);
        assertThat(body.path("budget").path("reset_at").asText()).isEqualTo("2026-11-24T00:00:00Z");
        assertThat(body.path("required").asLong()).isEqualTo(30);
        assertThat(response.headers()).containsEntry("Retry-After", Long.toString(86400 - 10 * 60 * 60 - 10));
    }

    @Test
    void anExpiredSubscriptionKeepsItsOwnCode() {
        limiter.fund("acme", 1_000);
        ApiResponse response = post(principal(TenantStanding.PAYMENT_REQUIRED, Optional.empty()),
                "{\"model\":\"sdxl\",\"prompt\":\"x\"}");
        assertThat(response.status()).isEqualTo(402);
        assertThat(Json.read(response.body()).path("error").path("code").asText()).isEqualTo("payment_required");
        assertThat(limiter.reserved("acme")).isZero();
    }
}
