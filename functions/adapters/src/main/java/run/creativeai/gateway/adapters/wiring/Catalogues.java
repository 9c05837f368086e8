package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.pricing.PriceList;

/**
 * The model catalogue, the plans and the prices, parsed once when a function's wiring is built: the
 * bundled models and prices, and the bundled plans unless {@code PLAN_CONFIG} replaces them. A plan
 * configuration the models cannot serve, or a price list that misses one of them, stops the function
 * at init, naming what is wrong.
 */
public record Catalogues(ModelCatalog models, PlanCatalog plans, PriceList prices) {

    public static Catalogues configured(FunctionEnvironment env) {
        ModelCatalog models = ModelCatalog.defaults();
        return new Catalogues(models, PlanCatalog.configured(env.optional(Components.PLAN_CONFIG), models),
                PriceList.defaults(models));
    }
}
