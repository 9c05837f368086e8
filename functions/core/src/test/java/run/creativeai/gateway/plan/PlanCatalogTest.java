package run.creativeai.gateway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.creativeai.gateway.config.ConfigurationException;

class PlanCatalogTest {
    @Test
    void theDefaultsAreTheSeedsPlansAndTheirRequestsPerMinute() {
        PlanCatalog plans = PlanCatalog.defaults();
        assertThat(plans.find("free").orElseThrow().limits().requestsPerMinute()).isEqualTo(10);
        assertThat(plans.find("pro").orElseThrow().limits().requestsPerMinute()).isEqualTo(100);
        assertThat(plans.find("enterprise").orElseThrow().limits().requestsPerMinute()).isEqualTo(1000);
        assertThat(plans.find("starter").orElseThrow().limits().requestsPerMinute()).isEqualTo(60);
        assertThat(plans.find("professional").orElseThrow().limits().requestsPerMinute()).isEqualTo(300);
        assertThat(plans.find("enterprise").orElseThrow().tier()).isEqualTo(Tier.ENTERPRISE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON          | {plans                                                           | not valid JSON",
        "no plans          | {}                                                               | non-empty \"plans\"",
        "unknown tier      | {\"plans\":{\"gold\":{\"tier\":\"gold\",\"requests_per_minute\":5}}}   | plan gold: tier",
        "zero limit        | {\"plans\":{\"gold\":{\"tier\":\"pro\",\"requests_per_minute\":0}}}    | plan gold: requests_per_minute",
        "misspelt field    | {\"plans\":{\"gold\":{\"tier\":\"pro\",\"request_per_minute\":5}}}     | plan gold: unknown field request_per_minute",
        "missing limit     | {\"plans\":{\"gold\":{\"tier\":\"pro\"}}}                            | plan gold: requests_per_minute"})
    void aMalformedPlanConfigurationStopsStartUpNamingThePlanAndField(String name, String json, String message) {
        assertThatThrownBy(() -> PlanCatalog.parse(json)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(message);
    }
}
