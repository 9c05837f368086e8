package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.config.FunctionEnvironment;

/** A plan configuration a function cannot enforce stops it at init, naming what is wrong. */
class ComponentsTest {

    @Test
    void aPlanConfigurationWithAnUnknownPlanFieldStopsStartUp() {
        Components components = new Components(FunctionEnvironment.of(Map.of("AWS_REGION", "us-east-1",
                Components.PLAN_CONFIG, "{\"model_limits\":{\"seedream\":20,\"flux\":10,\"sdxl\":20,\"kling\":20,"
                        + "\"seedance\":20,\"vidu\":20},\"plans\":{\"gold\":{\"tier\":\"pro\",\"rpm\":5}}}")),
                Clock.systemUTC());
        assertThatThrownBy(components::plans).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("plan gold: unknown field rpm");
    }

    @Test
    void aPlanConfigurationThatLeavesAModelWithoutALimitStopsStartUp() {
        Components components = new Components(FunctionEnvironment.of(Map.of("AWS_REGION", "us-east-1",
                Components.PLAN_CONFIG, "{\"model_limits\":{\"seedream\":20},\"plans\":{\"gold\":{\"tier\":\"pro\"}}}")),
                Clock.systemUTC());
        assertThatThrownBy(components::plans).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("model_limits: no limit for model");
    }
}
