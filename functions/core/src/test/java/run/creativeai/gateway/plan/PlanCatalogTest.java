package run.creativeai.gateway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantTerms;

class PlanCatalogTest {
    private static final String MODELS = "\"model_limits\":{\"seedream\":20,\"flux\":10,\"sdxl\":20,\"kling\":20,"
            + "\"seedance\":20,\"vidu\":20,\"flux-lora-fal\":5,\"flux-lora-replicate\":5}";
    private static final String GOLD = "\"gold\":{\"tier\":\"pro\",\"requests_per_minute\":5,\"requests_per_minute_per\":"
            + "\"key\",\"create_requests_per_minute\":\"unlimited\",\"reads_per_minute\":120,\"concurrent_tasks\":2,"
            + "\"daily_tasks\":50,\"video\":{\"requests_per_minute\":5,\"concurrent\":1,\"per_24_hours\":100,"
            + "\"per_30_minutes\":30}}";

    /** The gold plan with {@code fields} added at its end. */
    private static String gold(String fields) {
        return GOLD.substring(0, GOLD.length() - 1) + fields + "}";
    }

    private static PlanCatalog parse(String json) {
        return PlanCatalog.parse(json, ModelCatalog.defaults());
    }

    @Test
    void theDefaultsAreEveryPlanOfSeeds000And002WithTheirNumbers() {
        PlanCatalog plans = PlanCatalog.defaults();
        assertThat(plans.find("free").orElseThrow().limits().requestsPerMinute()).isEqualTo(Limit.of(10));
        assertThat(plans.find("pro").orElseThrow().limits().requestsPerMinute()).isEqualTo(Limit.of(100));
        assertThat(plans.find("enterprise").orElseThrow().limits().requestsPerMinute()).isEqualTo(Limit.of(1000));
        PlanLimits starter = plans.find("starter").orElseThrow().limits();
        assertThat(starter.requestsPerMinute()).isEqualTo(Limit.of(60));
        assertThat(starter.requestsPerMinutePer()).isEqualTo(CountedPer.TENANT);
        assertThat(starter.concurrentTasks()).isEqualTo(Limit.of(5));
        assertThat(starter.dailyTasks()).isEqualTo(Limit.of(500));
        assertThat(starter.createRequestsPerMinute()).isEqualTo(Limit.of(30));
        PlanLimits professional = plans.find("professional").orElseThrow().limits();
        assertThat(professional.requestsPerMinute()).isEqualTo(Limit.of(300));
        assertThat(professional.concurrentTasks()).isEqualTo(Limit.of(25));
        assertThat(professional.dailyTasks()).isEqualTo(Limit.of(5000));
        PlanLimits enterprise = plans.find("enterprise").orElseThrow().limits();
        assertThat(enterprise.concurrentTasks()).isEqualTo(Limit.of(100));
        assertThat(enterprise.dailyTasks().isLimited()).as("enterprise daily tasks are unlimited").isFalse();
        assertThat(enterprise.video().per24Hours().isLimited()).as("enterprise videos are unlimited").isFalse();
        assertThat(plans.find("enterprise").orElseThrow().tier()).isEqualTo(Tier.ENTERPRISE);
    }

    @Test
    void seed002sPlansRunGeneration10Training2AndWorkflows5AtOnceAndLimitTheirCreates() {
        PlanCatalog plans = PlanCatalog.defaults();
        for (String name : java.util.List.of("starter", "professional")) {
            PlanLimits limits = plans.find(name).orElseThrow().limits();
            assertThat(limits.work(WorkKind.GENERATION)).as(name).isEqualTo(new WorkLimits(Limit.unlimited(), Limit.of(10)));
            assertThat(limits.work(WorkKind.WORKFLOW)).as(name).isEqualTo(new WorkLimits(Limit.of(20), Limit.of(5)));
            assertThat(limits.work(WorkKind.TRAINING)).as(name).isEqualTo(new WorkLimits(Limit.of(5), Limit.of(2)));
        }
        PlanLimits starter = plans.find("starter").orElseThrow().limits();
        assertThat(starter.concurrentGeneration()).as("the tier table's 5 is below generation's 10").isEqualTo(Limit.of(5));
        assertThat(plans.find("professional").orElseThrow().limits().concurrentGeneration())
                .as("generation's 10 is below the tier table's 25").isEqualTo(Limit.of(10));
        PlanLimits enterprise = plans.find("enterprise").orElseThrow().limits();
        assertThat(enterprise.work(WorkKind.TRAINING)).isEqualTo(WorkLimits.unlimited());
        assertThat(enterprise.concurrentGeneration()).isEqualTo(Limit.of(100));
    }

    @Test
    void aPlanWrittenBeforeWorkflowsAndTrainingLeavesThemUnlimited() {
        PlanLimits gold = parse("{" + MODELS + ",\"plans\":{" + GOLD + "}}").find("gold").orElseThrow().limits();
        for (WorkKind kind : WorkKind.values()) {
            assertThat(gold.work(kind)).as(kind.wireName()).isEqualTo(WorkLimits.unlimited());
        }
        assertThat(gold.concurrentGeneration()).isEqualTo(Limit.of(2));
    }

    @Test
    void aTenantsCustomLimitsSetOneFieldOfAKindAndKeepTheOther() {
        PlanCatalog plans = parse("{" + MODELS + ",\"plans\":{"
                + gold(",\"training\":{\"requests_per_hour\":5,\"concurrent\":2}") + "},\"tenants\":{\"acme\":"
                + "{\"training\":{\"concurrent\":4},\"workflows\":{\"requests_per_minute\":60}}}}");
        PlanLimits acme = plans.planFor("gold", new TenantId("acme")).orElseThrow().limits();
        assertThat(acme.work(WorkKind.TRAINING)).isEqualTo(new WorkLimits(Limit.of(5), Limit.of(4)));
        assertThat(acme.work(WorkKind.WORKFLOW)).as("unlimited in the plan, limited for acme")
                .isEqualTo(new WorkLimits(Limit.of(60), Limit.unlimited()));
        PlanLimits custom = plans.planFor("gold", new TenantId("globex"), new TenantTerms(
                "{\"generation\":{\"concurrent\":1}}", java.util.Map.of(), 1)).orElseThrow().limits();
        assertThat(custom.concurrentGeneration()).as("custom limits of the tenant terms").isEqualTo(Limit.of(1));
        assertThat(custom.work(WorkKind.TRAINING).concurrent()).isEqualTo(Limit.of(2));
    }

    @Test
    void everyKindsLimitsAreNamedByTheirRuleForTheTenantAdministration() {
        PlanCatalog plans = PlanCatalog.defaults();
        assertThat(plans.ruleField("workflow_requests_per_minute")).contains(java.util.List.of("workflows", "requests_per_minute"));
        assertThat(plans.ruleField("training_requests_per_hour")).contains(java.util.List.of("training", "requests_per_hour"));
        assertThat(plans.ruleField("concurrent_trainings")).contains(java.util.List.of("training", "concurrent"));
        assertThat(plans.ruleField("concurrent_workflows")).contains(java.util.List.of("workflows", "concurrent"));
        assertThat(plans.ruleField("concurrent_generation_tasks")).contains(java.util.List.of("generation", "concurrent"));
        assertThat(plans.ruleField("training.requests_per_hour")).contains(java.util.List.of("training", "requests_per_hour"));
        assertThat(plans.ruleField("training.requests_per_minute")).as("training counts per hour").isEmpty();
        assertThat(plans.ruleField("generation.requests_per_minute")).as("generation's creates are other rules").isEmpty();
        assertThat(plans.ruleField("training")).as("the object, not a limit").isEmpty();
    }

    @Test
    void standardPlansHaveSeed000VideoLimitsAndSeed003sRollingWindowAndSeed001ModelLimits() {
        PlanLimits free = PlanCatalog.defaults().find("free").orElseThrow().limits();
        assertThat(free.video()).isEqualTo(new VideoLimits(Limit.of(5), Limit.of(3), Limit.of(100), Limit.of(30)));
        assertThat(free.readsPerMinute()).isEqualTo(Limit.of(120));
        assertThat(free.modelUnitsPerMinute("flux")).as("flux-1-schnell: 10 images a minute").isEqualTo(Limit.of(10));
        assertThat(free.modelUnitsPerMinute("seedream")).as("text to image: 20 a minute").isEqualTo(Limit.of(20));
        assertThat(free.modelUnitsPerMinute("kling")).as("Kling: 20 requests a minute").isEqualTo(Limit.of(20));
    }

    @Test
    void aTenantsCustomLimitsReplaceItsPlansNumbersForThatTenantOnly() {
        PlanCatalog plans = parse("{" + MODELS + ",\"plans\":{" + GOLD + "},\"tenants\":{\"acme\":"
                + "{\"requests_per_minute\":5000,\"daily_tasks\":\"unlimited\",\"video\":{\"concurrent\":10},"
                + "\"model_limits\":{\"flux\":500}}}}");
        PlanLimits acme = plans.planFor("gold", new TenantId("acme")).orElseThrow().limits();
        assertThat(acme.requestsPerMinute()).isEqualTo(Limit.of(5000));
        assertThat(acme.dailyTasks().isLimited()).isFalse();
        assertThat(acme.video().concurrent()).isEqualTo(Limit.of(10));
        assertThat(acme.video().requestsPerMinute()).as("not overridden").isEqualTo(Limit.of(5));
        assertThat(acme.modelUnitsPerMinute("flux")).isEqualTo(Limit.of(500));
        assertThat(acme.modelUnitsPerMinute("seedream")).isEqualTo(Limit.of(20));
        PlanLimits other = plans.planFor("gold", new TenantId("globex")).orElseThrow().limits();
        assertThat(other.requestsPerMinute()).isEqualTo(Limit.of(5));
    }

    @Test
    void thePlansLongestDeadlineIsADayUnlessThePlanOrTheTenantSaysOtherwise() {
        PlanCatalog plans = parse("{" + MODELS + ",\"plans\":{" + GOLD + "},\"tenants\":{\"acme\":"
                + "{\"max_cancel_after_seconds\":600}}}");
        assertThat(plans.planFor("gold", new TenantId("globex")).orElseThrow().limits().maxCancelAfterSeconds())
                .isEqualTo(Limit.of(PlanLimits.DEFAULT_MAX_CANCEL_AFTER_SECONDS));
        assertThat(plans.planFor("gold", new TenantId("acme")).orElseThrow().limits().maxCancelAfterSeconds())
                .isEqualTo(Limit.of(600));
        assertThat(plans.ruleField("max_cancel_after_seconds")).as("custom limits per tenant set it by name")
                .contains(java.util.List.of("max_cancel_after_seconds"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON           | {plans                                                       | not valid JSON",
        "no plans           | {}                                                           | non-empty \"plans\"",
        "unknown root field | {\"plan\":{}}                                                 | unknown field plan",
        "unknown tier       | {MODELS,\"plans\":{\"gold\":{\"tier\":\"gold\"}}}                 | plan gold: tier",
        "missing limit      | {MODELS,\"plans\":{\"gold\":{\"tier\":\"pro\",\"video\":{}}}}      | plan gold: requests_per_minute is required",
        "zero limit         | {MODELS,\"plans\":{GOLD_ZERO}}                                 | plan gold: requests_per_minute must be a positive integer",
        "misspelt unlimited | {MODELS,\"plans\":{GOLD_UNLIMTED}}                             | plan gold: daily_tasks must be a positive integer or \"unlimited\"",
        "misspelt field     | {MODELS,\"plans\":{GOLD_MISSPELT}}                             | plan gold: unknown field request_per_minute",
        "bad scope          | {MODELS,\"plans\":{GOLD_SCOPE}}                                | requests_per_minute_per must be \"key\" or \"tenant\"",
        "huge rolling limit | {MODELS,\"plans\":{GOLD_ROLLING}}                              | per_30_minutes is a rolling window and allows at most 1000",
        "unknown model      | {\"model_limits\":{\"dall-e\":5},\"plans\":{GOLD}}                  | model_limits: dall-e is not a model id",
        "model w/o limit    | {\"model_limits\":{\"seedream\":20},\"plans\":{GOLD}}                | model_limits: no limit for model",
        "too few images     | {MODELS_TWO,\"plans\":{GOLD}}                                  | model_limits.flux must be at least 4 images per minute",
        "tenant tier        | {MODELS,\"plans\":{GOLD},\"tenants\":{\"acme\":{\"tier\":\"free\"}}}  | tenant acme: tier comes from the plan",
        "tenant bad field   | {MODELS,\"plans\":{GOLD},\"tenants\":{\"acme\":{\"rpm\":5}}}         | tenant acme: unknown field rpm",
        "tenant bad id      | {MODELS,\"plans\":{GOLD},\"tenants\":{\"A C\":{}}}                  | tenants: A C is not a tenant id",
        "kind w/o field     | {MODELS,\"plans\":{GOLD_TRAINING_HALF}}                       | plan gold: training: requests_per_hour is required",
        "kind zero          | {MODELS,\"plans\":{GOLD_WORKFLOWS_ZERO}}                      | plan gold: workflows: concurrent must be a positive integer",
        "kind unknown field | {MODELS,\"plans\":{GOLD_GENERATION_RATE}}                     | plan gold: generation: unknown field requests_per_minute",
        "kind not object    | {MODELS,\"plans\":{GOLD_TRAINING_NUMBER}}                     | plan gold: training must be an object",
        "huge training rate | {MODELS,\"plans\":{GOLD_TRAINING_HUGE}}                       | training: requests_per_hour is a rolling window and allows at most 1000",
        "tenant kind bad    | {MODELS,\"plans\":{GOLD},\"tenants\":{\"acme\":{\"workflows\":{\"concurrent\":-1}}}} | tenant acme: workflows: concurrent must be a positive integer"})
    void aMalformedPlanConfigurationStopsStartUpNamingThePlanAndField(String name, String json, String message) {
        String config = json.replace("MODELS_TWO", MODELS.replace("\"flux\":10", "\"flux\":2"))
                .replace("MODELS", MODELS)
                .replace("GOLD_ZERO", GOLD.replace("\"requests_per_minute\":5,", "\"requests_per_minute\":0,"))
                .replace("GOLD_UNLIMTED", GOLD.replace("\"daily_tasks\":50", "\"daily_tasks\":\"unlimted\""))
                .replace("GOLD_MISSPELT", GOLD.replace("\"requests_per_minute\":5,", "\"request_per_minute\":5,"))
                .replace("GOLD_SCOPE", GOLD.replace("\"requests_per_minute_per\":\"key\"", "\"requests_per_minute_per\":\"org\""))
                .replace("GOLD_ROLLING", GOLD.replace("\"per_30_minutes\":30", "\"per_30_minutes\":5000"))
                .replace("GOLD_TRAINING_HALF", gold(",\"training\":{\"concurrent\":2}"))
                .replace("GOLD_WORKFLOWS_ZERO", gold(",\"workflows\":{\"requests_per_minute\":20,\"concurrent\":0}"))
                .replace("GOLD_GENERATION_RATE", gold(",\"generation\":{\"concurrent\":10,\"requests_per_minute\":5}"))
                .replace("GOLD_TRAINING_NUMBER", gold(",\"training\":2"))
                .replace("GOLD_TRAINING_HUGE", gold(",\"training\":{\"requests_per_hour\":5000,\"concurrent\":2}"))
                .replace("GOLD", GOLD);
        assertThatThrownBy(() -> parse(config)).isInstanceOf(ConfigurationException.class).hasMessageContaining(message);
    }
}
