package run.creativeai.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.pricing.PriceList;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.ReferenceLimiter;

/** Admission in order: queue depth, then every limit at once, then store and queue; a refusal leaves nothing behind. */
class AdmissionServiceTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:10Z");
    private final ReferenceLimiter limiter = new ReferenceLimiter();
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final List<Job> queued = new ArrayList<>();
    private final List<Job> settled = new ArrayList<>();
    private final AtomicLong depth = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final AdmissionService admissions = new AdmissionService(new AdmissionPolicy(), limiter, jobs,
            (job, delay) -> queued.add(job), ModelCatalog.defaults(), PriceList.defaults(ModelCatalog.defaults()),
            settled::add, new QueueBackpressure(tier -> depth.get(), 10_000, clock),
            () -> String.format("%026d", ids.incrementAndGet()), clock);
    private final Principal free = new Principal(new TenantId("acme"), new KeyId("key_abcd1"),
            PlanCatalog.defaults().find("free").orElseThrow(), TenantStanding.ACTIVE);

    {
        limiter.fund("acme", 1_000);
    }

    private static GenerationRequest image() {
        return new GenerationRequest(JobKind.IMAGE, "sdxl", "a fox", 2, Optional.of("1024x1024"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void anAdmittedRequestIsStoredWithItsPlanAndQueued() {
        AdmissionResult result = admissions.admit(free, image());
        assertThat(result).isInstanceOf(AdmissionResult.Accepted.class);
        Job job = ((AdmissionResult.Accepted) result).job();
        assertThat(job.plan()).isEqualTo("free");
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued).containsExactly(job);
        assertThat(admissions.standing(free)).filteredOn(s -> s.rule().id().equals("model.sdxl.images_per_minute"))
                .extracting(LimitState::used).containsExactly(2L);
    }

    @Test
    void aFullQueueRefusesWithRetryAfterAndCountsNothing() {
        depth.set(10_001);
        AdmissionResult result = admissions.admit(free, image());
        assertThat(result).isInstanceOf(AdmissionResult.QueueFull.class);
        assertThat(((AdmissionResult.QueueFull) result).retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(admissions.standing(free)).allSatisfy(s -> assertThat(s.used()).as(s.rule().id()).isZero());
        assertThat(queued).isEmpty();
    }

    @Test
    void aRateLimitedRequestIsNeitherStoredNorQueued() {
        for (int i = 0; i < 10; i++) {
            admissions.admit(free, image());
        }
        AdmissionResult eleventh = admissions.admit(free, image());
        assertThat(eleventh).isInstanceOf(AdmissionResult.RateLimited.class);
        assertThat(((AdmissionResult.RateLimited) eleventh).decision().refusedBy().rule().id())
                .isEqualTo("plan_requests_per_minute");
        assertThat(queued).hasSize(10);
    }

    @Test
    void aReadCountsOnlyAgainstTheReadLimit() {
        admissions.admitRead(free);
        assertThat(admissions.standing(free)).allSatisfy(s -> assertThat(s.used()).as(s.rule().id()).isZero());
    }

    // ---- credits: reserved in the same decision as the limits

    private Principal withBudget(long maxCreditsPerDay) {
        return new Principal(free.tenantId(), free.keyId(), free.plan(), TenantStanding.ACTIVE,
                run.creativeai.gateway.tenant.TenantTerms.none(), Optional.of(maxCreditsPerDay));
    }

    private static GenerationRequest seedream(int n) {
        return new GenerationRequest(JobKind.IMAGE, "seedream", "a fox", n, Optional.of("1024x1024"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void anAdmittedJobReservesTheDearestLinkOfItsChainAndCarriesItsPrices() {
        Job job = ((AdmissionResult.Accepted) admissions.admit(free, seedream(2))).job();
        assertThat(job.cost().reserved()).isEqualTo(60);
        assertThat(job.cost().prices()).containsEntry("seedream", 60L).containsEntry("flux", 8L).containsEntry("sdxl", 8L);
        assertThat(limiter.available("acme")).isEqualTo(940);
        assertThat(limiter.reserved("acme")).isEqualTo(60);
    }

    @Test
    void aRequestTheBalanceCannotCoverIsRefusedCountingNoLimitAndStoringNothing() {
        limiter.settle("acme", 0, 1_000 - 50);
        AdmissionResult result = admissions.admit(free, seedream(2));
        assertThat(result).isInstanceOf(AdmissionResult.Unfunded.class);
        assertThat(((AdmissionResult.Unfunded) result).decision().balance()).isEqualTo(50);
        assertThat(((AdmissionResult.Unfunded) result).decision().required()).isEqualTo(60);
        assertThat(admissions.standing(free)).allSatisfy(s -> assertThat(s.used()).as(s.rule().id()).isZero());
        assertThat(queued).isEmpty();
        assertThat(limiter.reserved("acme")).isZero();
    }

    @Test
    void aRequestALimitRefusesReservesNothing() {
        for (int i = 0; i < 10; i++) {
            admissions.admit(free, image());
        }
        long before = limiter.available("acme");
        assertThat(admissions.admit(free, image())).isInstanceOf(AdmissionResult.RateLimited.class);
        assertThat(limiter.available("acme")).isEqualTo(before);
    }

    @Test
    void aKeysDailyBudgetRefusesWhatItCannotCoverWithA402NamingIt() {
        Principal budgeted = withBudget(100);
        assertThat(admissions.admit(budgeted, seedream(1))).isInstanceOf(AdmissionResult.Accepted.class);
        assertThat(admissions.admit(budgeted, seedream(1))).isInstanceOf(AdmissionResult.Accepted.class);
        AdmissionResult third = admissions.admit(budgeted, seedream(2));
        assertThat(third).isInstanceOf(AdmissionResult.OverKeyBudget.class);
        AdmissionResult.OverKeyBudget over = (AdmissionResult.OverKeyBudget) third;
        assertThat(over.decision().refusedBy().rule().id()).isEqualTo("max_credits_per_day");
        assertThat(over.decision().refusedBy().used()).isEqualTo(60);
        assertThat(over.required()).isEqualTo(60);
        assertThat(limiter.available("acme")).as("nothing reserved for the refused job").isEqualTo(940);
    }

    @Test
    void aJobDearerThanTheWholeBudgetIsRefusedWithoutCountingAnything() {
        AdmissionResult result = admissions.admit(withBudget(50), seedream(2));
        assertThat(result).isInstanceOf(AdmissionResult.OverKeyBudget.class);
        assertThat(((AdmissionResult.OverKeyBudget) result).required()).isEqualTo(60);
        assertThat(limiter.available("acme")).isEqualTo(1_000);
        assertThat(admissions.standing(free)).allSatisfy(s -> assertThat(s.used()).as(s.rule().id()).isZero());
    }

    @Test
    void aJobTheQueueCouldNotTakeIsFailedAndSettledAtOnce() {
        AdmissionService broken = new AdmissionService(new AdmissionPolicy(), limiter, jobs, (job, delay) -> {
            throw new IllegalStateException("queue down");
        }, ModelCatalog.defaults(), PriceList.defaults(ModelCatalog.defaults()), settled::add,
                new QueueBackpressure(tier -> 0, 10_000, clock), () -> String.format("%026d", ids.incrementAndGet()), clock);
        AdmissionResult result = broken.admit(free, seedream(1));
        assertThat(result).isInstanceOf(AdmissionResult.QueueUnavailable.class);
        assertThat(settled).extracting(Job::status).containsExactly(JobStatus.FAILED);
        assertThat(settled.get(0).charge()).contains(new run.creativeai.gateway.job.Charge(30, 0));
    }

    @Test
    void autoForAnOperationStartsTheJobOnTheFirstModelThatCanDoIt() {
        GenerationRequest upscale = new GenerationRequest(JobKind.IMAGE, "auto", "", 1, Optional.empty(),
                Optional.empty(), run.creativeai.gateway.model.Operation.UPSCALE,
                Optional.of(new run.creativeai.gateway.media.MediaSource.Upload(
                        new run.creativeai.gateway.media.UploadId("upl_01jabcdefghjkmnpqrstvwxyz0"))),
                Optional.empty(), Optional.empty(), Optional.empty());
        Job job = ((AdmissionResult.Accepted) admissions.admit(free, upscale)).job();
        assertThat(job.model()).as("seedream, first for images, cannot upscale").isEqualTo("flux");
        assertThat(admissions.standing(free)).filteredOn(s -> s.rule().id().equals("model.flux.images_per_minute"))
                .extracting(LimitState::used).containsExactly(1L);
    }

    private static Principal on(String plan) {
        return new Principal(new TenantId("acme"), new KeyId("key_abcd1"), PlanCatalog.defaults().find(plan).orElseThrow(),
                TenantStanding.ACTIVE);
    }

    @Test
    void the21stWorkflowCreateOfAMinuteIsRefusedNamingTheWorkflowRule() {
        Principal starter = on("starter");
        for (int i = 1; i <= 20; i++) {
            assertThat(admissions.admitCreation(starter, WorkKind.WORKFLOW, 0)).as("workflow " + i)
                    .isInstanceOf(AdmissionDecision.Admitted.class);
        }
        AdmissionDecision refused = admissions.admitCreation(starter, WorkKind.WORKFLOW, 0);
        assertThat(refused).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(((AdmissionDecision.Refused) refused).refusedBy().rule().id()).isEqualTo("workflow_requests_per_minute");
        assertThat(admissions.admit(starter, image())).as("generation has its own rules")
                .isInstanceOf(AdmissionResult.Accepted.class);
        assertThat(queued).as("a workflow create queues no job itself").hasSize(1);
    }

    @Test
    void theSixthTrainingInAnHourIsRefusedUntilTheFirstIsAnHourOld() {
        Principal starter = on("starter");
        for (int i = 1; i <= 5; i++) {
            assertThat(admissions.admitCreation(starter, WorkKind.TRAINING, 0)).as("training " + i)
                    .isInstanceOf(AdmissionDecision.Admitted.class);
            clock.advance(Duration.ofMinutes(10));
        }
        AdmissionDecision sixth = admissions.admitCreation(starter, WorkKind.TRAINING, 0);
        assertThat(sixth).isInstanceOf(AdmissionDecision.Refused.class);
        assertThat(((AdmissionDecision.Refused) sixth).refusedBy().rule().id()).isEqualTo("training_requests_per_hour");
        clock.advance(Duration.ofMinutes(10));
        assertThat(admissions.admitCreation(starter, WorkKind.TRAINING, 0)).as("the first is an hour old")
                .isInstanceOf(AdmissionDecision.Admitted.class);
    }

    @Test
    void aTrainingShortOfCreditsIsRefusedAndCountsNothing() {
        Principal starter = on("starter");
        assertThat(admissions.admitCreation(starter, WorkKind.TRAINING, 5_000))
                .isInstanceOf(AdmissionDecision.InsufficientCredits.class);
        assertThat(admissions.standing(starter)).filteredOn(s -> s.rule().id().equals("training_requests_per_hour"))
                .extracting(LimitState::used).containsExactly(0L);
        assertThat(admissions.admitCreation(starter, WorkKind.TRAINING, 400)).isInstanceOf(AdmissionDecision.Admitted.class);
    }
}
