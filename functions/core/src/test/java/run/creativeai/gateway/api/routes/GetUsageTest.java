package run.creativeai.gateway.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.billing.UsageReport;

/** The usage route's query: dates, their order and span, and the grouping, each refused naming the parameter. */
class GetUsageTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-11-23");

    private static GetUsage.Query valid(Map<String, String> parameters) {
        Parsed<GetUsage.Query> parsed = GetUsage.parse(parameters, TODAY);
        assertThat(parsed).as(parameters.toString()).isInstanceOf(Parsed.Valid.class);
        return ((Parsed.Valid<GetUsage.Query>) parsed).value();
    }

    private static void refused(Map<String, String> parameters, String param, String message) {
        Parsed<GetUsage.Query> parsed = GetUsage.parse(parameters, TODAY);
        assertThat(parsed).as(parameters.toString()).isInstanceOf(Parsed.Invalid.class);
        var error = ((Parsed.Invalid<GetUsage.Query>) parsed).error();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.param()).contains(param);
        assertThat(error.message()).contains(message);
    }

    @Test
    void withoutParametersItIsTheLastThirtyDaysByDay() {
        assertThat(valid(Map.of())).isEqualTo(new GetUsage.Query(TODAY.minusDays(29), TODAY, UsageReport.GroupBy.DAY));
    }

    @Test
    void bothEndsAreIncludedAndAnyGroupingOfThreeIsAccepted() {
        assertThat(valid(Map.of("from", "2026-01-01", "to", "2026-01-01", "group_by", "model")))
                .isEqualTo(new GetUsage.Query(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-01"),
                        UsageReport.GroupBy.MODEL));
        assertThat(valid(Map.of("from", "2025-10-20", "to", "2026-11-23", "group_by", "key")).groupBy())
                .as("400 days").isEqualTo(UsageReport.GroupBy.KEY);
    }

    @Test
    void badDatesOutOfOrderRangesAndOverlongSpansAreRefusedNamingTheParameter() {
        refused(Map.of("from", "2026-13-01"), "from", "YYYY-MM-DD");
        refused(Map.of("from", "2026-02-30"), "from", "YYYY-MM-DD");
        refused(Map.of("to", "yesterday"), "to", "YYYY-MM-DD");
        refused(Map.of("from", "2026-11-23,2026-11-24"), "from", "YYYY-MM-DD");
        refused(Map.of("from", "+12026-01-01"), "from", "YYYY-MM-DD");
        refused(Map.of("from", "2026-11-24", "to", "2026-11-23"), "to", "is before from");
        refused(Map.of("from", "2025-10-19", "to", "2026-11-23"), "to", "spans 401 days");
        refused(Map.of("group_by", "week"), "group_by", "day, model or key");
        refused(Map.of("since", "2026-11-01"), "since", "unknown query parameter");
    }
}
