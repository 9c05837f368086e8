package run.creativeai.gateway.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.media.MediaSource;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.admission.AdmissionPolicy;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Model;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.plan.WorkKind;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;

/** Which rules each seed's requests are charged against, and what they cost. */
class AdmissionPolicyTest {
    private final AdmissionPolicy policy = new AdmissionPolicy();
    private final ModelCatalog models = ModelCatalog.defaults();

    private Principal on(String plan) {
        return new Principal(new TenantId("acme"), new KeyId("key_abcd1"),
                PlanCatalog.defaults().find(plan).orElseThrow(), TenantStanding.ACTIVE);
    }

    private GenerationRequest image(String model, int n) {
        return new GenerationRequest(JobKind.IMAGE, model, "p", n, Optional.of("1024x1024"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private GenerationRequest video(String model) {
        return new GenerationRequest(JobKind.VIDEO, model, "p", 1, Optional.empty(), Optional.of(5), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private Model model(String id) {
        return models.find(id).orElseThrow();
    }

    @Test
    void anImageOnAFreeKeyCountsTheKeysMinuteAndTheModelsImagesByN() {
        var charges = policy.chargesForGeneration(on("free"), image("flux", 3), model("flux"));
        assertThat(charges).extracting(c -> c.rule().id(), LimitCharge::cost, LimitCharge::owner).containsExactly(
                org.assertj.core.groups.Tuple.tuple("plan_requests_per_minute", 1L, "key_abcd1"),
                org.assertj.core.groups.Tuple.tuple("model.flux.images_per_minute", 3L, "key_abcd1"));
    }

    @Test
    void aVideoOnAStandardPlanAddsTheVideoMinuteAndBothRollingWindows() {
        var charges = policy.chargesForGeneration(on("pro"), video("kling"), model("kling"));
        assertThat(charges).extracting(c -> c.rule().id()).containsExactly("plan_requests_per_minute",
                "model.kling.requests_per_minute", "video_requests_per_minute", "videos_per_30_minutes",
                "videos_per_24_hours");
        assertThat(charges.get(3).rule().kind()).isEqualTo(RateLimitRule.Kind.ROLLING);
        assertThat(charges.get(3).rule().per()).as("seed 003: per API key").isEqualTo(CountedPer.KEY);
        assertThat(charges.get(4).rule().per()).isEqualTo(CountedPer.TENANT);
    }

    @Test
    void seed002PlansCountPerOrganisationWithTheCreationLimitAndTheDailyQuota() {
        var charges = policy.chargesForGeneration(on("starter"), image("sdxl", 1), model("sdxl"));
        assertThat(charges).extracting(c -> c.rule().id() + "/" + c.owner()).containsExactly(
                "plan_requests_per_minute/acme", "create_requests_per_minute/acme",
                "model.sdxl.images_per_minute/key_abcd1", "daily_tasks/acme");
        assertThat(charges.get(3).rule().enforcement()).isEqualTo(RateLimitRule.Enforcement.QUOTA);
    }

    @Test
    void enterpriseVideosAreChargedOnlyToTheRequestsPerMinute() {
        var charges = policy.chargesForGeneration(on("enterprise"), video("vidu"), model("vidu"));
        assertThat(charges).extracting(c -> c.rule().id()).containsExactly("plan_requests_per_minute");
    }

    @Test
    void aWorkflowCreateCountsTheOrganisationsMinuteAndItsTwentyWorkflowsAMinute() {
        var charges = policy.chargesForCreation(on("starter"), WorkKind.WORKFLOW, 0);
        assertThat(charges).extracting(c -> c.rule().id() + "/" + c.owner() + "/" + c.rule().limit() + "/" + c.cost())
                .containsExactly("plan_requests_per_minute/acme/60/1", "workflow_requests_per_minute/acme/20/1");
        RateLimitRule workflows = charges.get(1).rule();
        assertThat(workflows.window()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(workflows.kind()).isEqualTo(RateLimitRule.Kind.FIXED);
        assertThat(workflows.enforcement()).isEqualTo(RateLimitRule.Enforcement.RATE_LIMIT);
    }

    @Test
    void aTrainingCreateCountsFiveTrainingsInTheRollingHourOfTheOrganisation() {
        var charges = policy.chargesForCreation(on("professional"), WorkKind.TRAINING, 0);
        assertThat(charges).extracting(c -> c.rule().id()).containsExactly("plan_requests_per_minute",
                "training_requests_per_hour");
        RateLimitRule training = charges.get(1).rule();
        assertThat(training.limit()).isEqualTo(5);
        assertThat(training.window()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(training.kind()).isEqualTo(RateLimitRule.Kind.ROLLING);
        assertThat(training.per()).isEqualTo(CountedPer.TENANT);
        assertThat(charges.get(1).owner()).isEqualTo("acme");
    }

    @Test
    void creatingAWorkflowOrATrainingUsesNoGenerationRule() {
        for (WorkKind kind : java.util.List.of(WorkKind.WORKFLOW, WorkKind.TRAINING)) {
            assertThat(policy.chargesForCreation(on("starter"), kind, 0)).extracting(c -> c.rule().id())
                    .as(kind.wireName()).doesNotContain("create_requests_per_minute", "daily_tasks");
        }
        assertThat(policy.chargesForCreation(on("enterprise"), WorkKind.TRAINING, 0)).as("unlimited on enterprise")
                .extracting(c -> c.rule().id()).containsExactly("plan_requests_per_minute");
        assertThatThrownBy(() -> policy.chargesForCreation(on("starter"), WorkKind.GENERATION, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theQuotaListsTheWorkflowAndTrainingRulesBesideTheGenerationOnes() {
        assertThat(policy.creationRules(on("starter"), models.all())).extracting(c -> c.rule().id())
                .contains("create_requests_per_minute", "workflow_requests_per_minute", "training_requests_per_hour")
                .doesNotHaveDuplicates();
    }

    @Test
    void readsAreChargedOnlyToTheReadLimit() {
        assertThat(policy.chargesForRead(on("free"))).extracting(c -> c.rule().id() + "/" + c.rule().limit())
                .containsExactly("reads_per_minute/120");
    }

    @Test
    void everyRuleARequestCanBeRefusedByCanBeOverriddenForATenantByTheNameTheRefusalGivesIt() {
        PlanCatalog plans = PlanCatalog.defaults();
        for (String plan : plans.names()) {
            for (LimitCharge charge : policy.creationRules(on(plan), models.all())) {
                assertThat(plans.ruleField(charge.rule().id())).as(plan + ": " + charge.rule().id()).isPresent();
            }
            for (LimitCharge charge : policy.chargesForRead(on(plan))) {
                assertThat(plans.ruleField(charge.rule().id())).as(plan + ": " + charge.rule().id()).isPresent();
            }
        }
        assertThat(plans.ruleField("concurrent_tasks")).contains(java.util.List.of("concurrent_tasks"));
        assertThat(plans.ruleField("concurrent_video_jobs")).contains(java.util.List.of("video", "concurrent"));
        assertThat(plans.ruleField("operation.upscale.images_per_minute"))
                .contains(java.util.List.of("operation_limits", "upscale"));
        assertThat(plans.ruleField("operation.upscale.requests_per_minute")).as("upscale counts images").isEmpty();
        assertThat(plans.ruleField("operation_limits")).as("the table, not a rule").isEmpty();
        assertThat(plans.ruleNames()).contains("operation.image-to-video.requests_per_minute");
    }

    @Test
    void aKeysDailyBudgetIsChargedWhatTheRequestReservesAndRefusedAsABudget() {
        Principal budgeted = new Principal(new TenantId("acme"), new KeyId("key_abcd1"),
                PlanCatalog.defaults().find("pro").orElseThrow(), TenantStanding.ACTIVE,
                run.creativeai.gateway.tenant.TenantTerms.none(), Optional.of(500L));
        var charges = policy.chargesForGeneration(budgeted, image("flux", 2), model("flux"), 8);
        assertThat(charges).filteredOn(c -> c.rule().id().equals("max_credits_per_day")).singleElement()
                .satisfies(c -> {
                    assertThat(c.cost()).isEqualTo(8);
                    assertThat(c.owner()).isEqualTo("key_abcd1");
                    assertThat(c.rule().enforcement()).isEqualTo(RateLimitRule.Enforcement.BUDGET);
                    assertThat(c.rule().limit()).isEqualTo(500);
                });
        assertThat(policy.chargesForGeneration(budgeted, image("flux", 2), model("flux"), 0))
                .as("a job that costs nothing spends no budget").noneMatch(c -> c.rule().id().equals("max_credits_per_day"));
    }

    private GenerationRequest withImage(JobKind kind, String model, Operation operation, int n) {
        return new GenerationRequest(kind, model, "p", n, Optional.empty(),
                kind == JobKind.VIDEO ? Optional.of(5) : Optional.empty(), operation,
                Optional.of(new MediaSource.Upload(new UploadId("upl_01jabcdefghjkmnpqrstvwxyz0"))),
                operation.needsMask() ? Optional.of(new MediaSource.Upload(new UploadId("upl_01jabcdefghjkmnpqrstvwxyz1")))
                        : Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void anImageOperationCountsItsImagesAgainstSeed001sPerOperationDefault() {
        var charges = policy.chargesForGeneration(on("free"), withImage(JobKind.IMAGE, "flux", Operation.INPAINTING, 2),
                model("flux"));
        assertThat(charges).extracting(c -> c.rule().id(), LimitCharge::cost, c -> c.rule().limit()).containsExactly(
                org.assertj.core.groups.Tuple.tuple("plan_requests_per_minute", 1L, 10L),
                org.assertj.core.groups.Tuple.tuple("model.flux.images_per_minute", 2L, 10L),
                org.assertj.core.groups.Tuple.tuple("operation.inpainting.images_per_minute", 2L, 10L));
        assertThat(policy.chargesForGeneration(on("pro"), withImage(JobKind.IMAGE, "sdxl", Operation.UPSCALE, 1),
                model("sdxl"))).extracting(c -> c.rule().id() + "=" + c.rule().limit())
                .contains("operation.upscale.images_per_minute=20");
    }

    @Test
    void imageToVideoCountsRequestsAgainstItsOwnRuleAndTextOperationsOnlyAgainstTheirModels() {
        assertThat(policy.chargesForGeneration(on("pro"), withImage(JobKind.VIDEO, "kling", Operation.IMAGE_TO_VIDEO, 1),
                model("kling"))).extracting(c -> c.rule().id() + "=" + c.rule().limit())
                .contains("operation.image-to-video.requests_per_minute=20");
        assertThat(policy.chargesForGeneration(on("pro"), image("sdxl", 1), model("sdxl")))
                .extracting(c -> c.rule().id()).noneMatch(id -> id.startsWith("operation."));
        assertThat(policy.chargesForGeneration(on("enterprise"),
                withImage(JobKind.IMAGE, "sdxl", Operation.UPSCALE, 1), model("sdxl")))
                .extracting(c -> c.rule().id()).containsExactly("plan_requests_per_minute");
    }

    @Test
    void theQuotaViewListsEveryOperationsRuleOnce() {
        assertThat(policy.creationRules(on("pro"), models.all())).extracting(c -> c.rule().id())
                .contains("operation.image-to-image.images_per_minute", "operation.upscale.images_per_minute",
                        "operation.remove-background.images_per_minute", "operation.replace-background.images_per_minute",
                        "operation.inpainting.images_per_minute", "operation.image-to-video.requests_per_minute")
                .doesNotHaveDuplicates();
    }
}
