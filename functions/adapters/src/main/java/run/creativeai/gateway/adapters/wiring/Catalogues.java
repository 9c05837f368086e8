package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;

/**
 * The model catalogue and the plans, parsed once when a function's wiring is built: the bundled
 * models, and the bundled plans unless {@code PLAN_CONFIG} replaces them. A plan configuration the
 * models cannot serve stops the function at init, naming what is wrong.
 */
public record Catalogues(ModelCatalog models, PlanCatalog plans) {

    public static Catalogues configured(FunctionEnvironment env) {
        ModelCatalog models = ModelCatalog.defaults();
        return new Catalogues(models, PlanCatalog.configured(env.optional(Components.PLAN_CONFIG), models));
    }
}
