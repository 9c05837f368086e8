package run.creativeai.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.provider.Unavailability;

/** What the published document says: overall status, providers, 90 days of uptime, a week of history. */
class StatusDocumentTest {
    private final StatusWorld world = new StatusWorld("2026-12-01T12:00:00Z");

    @Test
    void oneModelOutIsAPartialOutageOverallAndEveryModelOfAKindOutIsAMajorOne() {
        Instant now = world.clock.instant();
        world.circuits.trip("sdxl", now, Unavailability.SERVER_ERROR);
        world.board.refresh(now);
        JsonNode page = world.published();
        assertThat(StatusWorld.component(page, "sdxl").path("status").asText())
                .as("the end of its chain: nothing serves its jobs").isEqualTo("major_outage");
        assertThat(StatusWorld.component(page, "sdxl").path("provider").path("serving_model").isNull()).isTrue();
        assertThat(page.path("status").asText()).isEqualTo("partial_outage");
        // The Replicate trainer shares sdxl's provider and ends its own chain.
        assertThat(page.path("description").asText())
                .isEqualTo("Partial outage: sdxl major outage, flux-lora-replicate major outage");

        world.circuits.trip("seedream", now, Unavailability.SERVER_ERROR);
        world.circuits.trip("flux", now, Unavailability.SERVER_ERROR);
        world.board.refresh(now);
        assertThat(world.published().path("status").asText()).isEqualTo("major_outage");
        assertThat(StatusWorld.component(world.published(), "kling").path("status").asText()).isEqualTo("operational");
    }

    @Test
    void uptimeCoversTheLastNinetyDaysPerDayAndInTotalAndCountsOnlyOutagesAgainstIt() {
        LocalDate today = LocalDate.parse("2026-12-01");
        ComponentId seedream = new ComponentId("seedream");
        // 100 days ago: outside the window. Then one day each with an outage, a maintenance, a degradation.
        minutes(today.minusDays(100), seedream, ComponentStatus.MAJOR_OUTAGE, 600);
        minutes(today.minusDays(89), seedream, ComponentStatus.OPERATIONAL, 1439);
        minutes(today.minusDays(89), seedream, ComponentStatus.PARTIAL_OUTAGE, 1);
        minutes(today.minusDays(30), seedream, ComponentStatus.OPERATIONAL, 1380);
        minutes(today.minusDays(30), seedream, ComponentStatus.MAINTENANCE, 60);
        minutes(today.minusDays(2), seedream, ComponentStatus.DEGRADED, 720);
        minutes(today.minusDays(2), seedream, ComponentStatus.MAJOR_OUTAGE, 720);
        world.board.refresh(world.clock.instant());

        JsonNode page = world.published();
        assertThat(page.path("uptime_window").path("first_day").asText()).isEqualTo(today.minusDays(89).toString());
        JsonNode uptime = StatusWorld.component(page, "seedream").path("uptime");
        assertThat(uptime.path("days")).hasSize(StatusBoard.UPTIME_DAYS);
        assertThat(uptime.path("days").get(0).decimalValue()).as("1439 of 1440 minutes, rounded down")
                .isEqualByComparingTo("99.93");
        assertThat(uptime.path("down_minutes").get(0).asInt()).isEqualTo(1);
        assertThat(uptime.path("days").get(59).decimalValue()).as("maintenance counts neither way")
                .isEqualByComparingTo("100");
        assertThat(uptime.path("days").get(87).decimalValue()).as("degraded is up, major outage is down")
                .isEqualByComparingTo("50");
        assertThat(uptime.path("days").get(1).isNull()).as("a day without samples").isTrue();
        // (1439 + 1380 + 720) up of (1440 + 1380 + 1440) counted
        assertThat(uptime.path("percent").decimalValue()).isEqualByComparingTo(
                StatusDocument.percentOf(1439 + 1380 + 720, 1440 + 1380 + 1440));
        assertThat(StatusDocument.percentOf(3539, 4260)).isEqualByComparingTo(new BigDecimal("83.07"));
        assertThat(StatusWorld.component(page, "api").path("uptime").path("percent").isNull()).isTrue();
    }

    @Test
    void theHistoryHoldsWhatClosedInTheLastSevenDaysAndNothingOlder() {
        Notice old = ((Incidents.Done) world.incidents.open("Old", List.of("api"), "degraded", "x")).notice();
        world.clock.advance(Duration.ofHours(1));
        world.incidents.resolve(old.id(), "fixed");
        world.clock.advance(Duration.ofDays(6));
        Notice recent = ((Incidents.Done) world.incidents.open("Recent", List.of("flux"), "degraded", "x")).notice();
        world.incidents.resolve(recent.id(), "fixed");
        world.board.refresh(world.clock.instant());
        assertThat(world.published().path("incidents").path("resolved").findValuesAsText("title"))
                .containsExactly("Recent", "Old");

        // Old was resolved six days ago; a day later, seven days and a bit.
        world.clock.advance(Duration.ofDays(1).plusMinutes(1));
        world.board.refresh(world.clock.instant());
        assertThat(world.published().path("incidents").path("resolved").findValuesAsText("title"))
                .as("closed more than seven days ago").containsExactly("Recent");
    }

    private void minutes(LocalDate day, ComponentId component, ComponentStatus status, int count) {
        Instant start = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        // Counted as the monitor counts, minute after minute, each once.
        for (int i = 0; i < count; i++) {
            Instant minute = start.plus(Duration.ofMinutes(i + offset(day)));
            world.uptime.record(minute, Map.of(component, status));
        }
        offsets.merge(day, count, Integer::sum);
    }

    private final Map<LocalDate, Integer> offsets = new java.util.HashMap<>();

    private int offset(LocalDate day) {
        return offsets.getOrDefault(day, 0);
    }
}
