package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.admission.QueueBackpressure;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.concurrency.TenantConcurrency.Work;
import run.creativeai.gateway.dispatch.PollSchedule;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.pricing.PriceList;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.tenant.TenantTerms;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.ReferenceLimiter;
import run.creativeai.gateway.testing.TestOutputLinks;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;

/** What a client sees of workflow and training limits: the quota's limits and active counts by kind, and the 429. */
class WorkKindLimitsTest {
    private static final TenantId ACME = new TenantId("acme");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:10Z");
    private final ReferenceLimiter limiter = new ReferenceLimiter();
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final AtomicLong ids = new AtomicLong();
    private final QueueBackpressure backpressure = new QueueBackpressure(tier -> 0, 10_000, clock);
    private final AdmissionService admissions = new AdmissionService(new AdmissionPolicy(), limiter, jobs,
            (job, delay) -> { }, ModelCatalog.defaults(), PriceList.defaults(ModelCatalog.defaults()), job -> { },
            backpressure, () -> String.format("%026d", ids.incrementAndGet()), clock, (job, delay) -> { });
    private final TenantConcurrency concurrency = TenantConcurrency.standard(new InMemorySlotPool(),
            PlanCatalog.defaults(), ModelCatalog.defaults(), PollSchedule.standard(), TierCapsOfTheSeeds.CAPS,
            TierCapsOfTheSeeds.SHARDS);
    private final Quotas quotas = new Quotas(admissions, concurrency,
            tenant -> new Balance(limiter.available(tenant.value()), limiter.reserved(tenant.value())));
    private final AdmissionReplies replies = new AdmissionReplies(quotas,
            new JobReplies(jobs, backpressure, TestOutputLinks.standard(), clock), clock);

    private static Principal on(String plan) {
        return new Principal(ACME, new KeyId("key_kind1"), PlanCatalog.defaults().find(plan).orElseThrow(),
                TenantStanding.ACTIVE, TenantTerms.none(), Optional.empty());
    }

    @Test
    void theQuotaShowsEachKindsLimitAndWhatRunsOfIt() {
        Principal starter = on("starter");
        concurrency.tryStart(new Work(WorkKind.TRAINING, "trn_1", ACME, "starter", TenantTerms.none()), clock.instant());
        concurrency.tryStart(new Work(WorkKind.WORKFLOW, "wf_1", ACME, "starter", TenantTerms.none()), clock.instant());
        concurrency.tryStart(new Work(WorkKind.WORKFLOW, "wf_2", ACME, "starter", TenantTerms.none()), clock.instant());
        Job template = Jobs.queuedImage("sdxl", clock.instant());
        concurrency.tryStart(Job.admitted(template.id(), ACME, starter.keyId(), starter.plan().tier(), "starter",
                template.request(), "sdxl", clock.instant()), clock.instant());
        admissions.admitCreation(starter, WorkKind.WORKFLOW, 0);

        ObjectNode body = quotas.body(starter, List.of(), clock.instant());
        assertThat(body.path("concurrent_generation_tasks").toString()).isEqualTo("{\"limit\":10,\"active\":1}");
        assertThat(body.path("concurrent_workflows").toString()).isEqualTo("{\"limit\":5,\"active\":2}");
        assertThat(body.path("concurrent_trainings").toString()).isEqualTo("{\"limit\":2,\"active\":1}");
        assertThat(body.path("concurrent_tasks").toString()).as("seed 002's tier table, beside them")
                .isEqualTo("{\"limit\":5,\"active\":1}");
        assertThat(body.path("max_cancel_after_seconds").asLong()).as("the longest Cancel-After the plan allows")
                .isEqualTo(86_400);
        JsonNode workflows = rule(body, "workflow_requests_per_minute");
        assertThat(workflows.path("limit").asLong()).isEqualTo(20);
        assertThat(workflows.path("used").asLong()).isEqualTo(1);
        assertThat(workflows.path("per").asText()).isEqualTo("tenant");
        JsonNode training = rule(body, "training_requests_per_hour");
        assertThat(training.path("window").asText()).isEqualTo("rolling");
        assertThat(training.path("window_seconds").asLong()).isEqualTo(3600);
        assertThat(training.path("limit").asLong()).isEqualTo(5);

        ObjectNode enterprise = quotas.body(on("enterprise"), List.of(), clock.instant());
        assertThat(enterprise.path("concurrent_trainings").toString()).isEqualTo("{\"limit\":null,\"active\":1}");
    }

    @Test
    void aRefusedTrainingIsA429NamingTheRuleInTheBodyAndTheHeaders() {
        Principal starter = on("starter");
        for (int i = 0; i < 5; i++) {
            admissions.admitCreation(starter, WorkKind.TRAINING, 0);
        }
        AdmissionDecision sixth = admissions.admitCreation(starter, WorkKind.TRAINING, 0);
        Reply reply = replies.refusal(starter, sixth, 0).orElseThrow();
        ApiResponse response = reply.toResponse();
        JsonNode body = run.creativeai.gateway.json.Json.read(response.body());
        assertThat(response.status()).isEqualTo(429);
        assertThat(body.path("error").path("rule").asText()).isEqualTo("training_requests_per_hour");
        assertThat(body.path("error").path("message").asText())
                .contains("you have used 5 of 5 requests in the last hour (training_requests_per_hour, per tenant)");
        assertThat(response.headers().get("RateLimit-Policy")).startsWith("\"training_requests_per_hour\";q=5;w=3600");
        assertThat(response.headers().get("Retry-After")).isEqualTo("3600");
        assertThat(replies.refusal(starter, admissions.admitCreation(starter, WorkKind.WORKFLOW, 0), 0))
                .as("admitted: the route answers with what it created").isEmpty();
    }

    private static JsonNode rule(JsonNode body, String id) {
        for (JsonNode rule : body.path("rate_limits")) {
            if (rule.path("rule").asText().equals(id)) {
                return rule;
            }
        }
        throw new AssertionError("the quota lists no rule " + id + ": " + body.path("rate_limits"));
    }
}
