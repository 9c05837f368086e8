package run.creativeai.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.gateway.webhook.NoticeEvent;

/** The status function's minute, against stores in memory and a hand-moved clock. */
class StatusMonitorTest {
    private final StatusWorld world = new StatusWorld("2026-12-01T10:00:30Z");

    private Instant minute() {
        return world.clock.instant().truncatedTo(ChronoUnit.MINUTES);
    }

    private void minutePasses() {
        world.clock.advance(Duration.ofMinutes(1));
        world.probes.arrive();
    }

    @Test
    void anApiOutOfBoundsInTwoRunsInARowOpensOneIncidentAndItsReturnResolvesIt() {
        world.counters.add(HealthSignal.API_REQUESTS, minute(), 100, 30);
        minutePasses();
        StatusMonitor.Report first = world.run();
        assertThat(StatusWorld.component(world.published(), "api").path("status").asText()).isEqualTo("partial_outage");
        assertThat(first.incidentsOpened()).as("one bad minute is not yet an incident").isZero();

        minutePasses();
        assertThat(world.run().incidentsOpened()).isEqualTo(1);
        minutePasses();
        assertThat(world.run().incidentsOpened()).as("the same breach").isZero();
        JsonNode incident = world.published().path("incidents").path("active").get(0);
        assertThat(incident.path("title").asText()).isEqualTo("Elevated API error rate");
        assertThat(incident.path("impact").asText()).isEqualTo("partial_outage");
        assertThat(incident.path("updates").get(0).path("message").asText()).contains("30 of 100").contains("30.0 %");

        // The bad minute leaves the five-minute window.
        for (int i = 0; i < 3; i++) {
            minutePasses();
            world.run();
        }
        assertThat(world.published().path("incidents").path("active")).isEmpty();
        assertThat(world.announcements.types()).containsExactly("status.incident.opened", "status.incident.resolved");
        assertThat(StatusWorld.component(world.published(), "api").path("status").asText()).isEqualTo("operational");
    }

    @Test
    void aFewRequestsOrASmallShareOfErrorsOpenNothing() {
        world.counters.add(HealthSignal.API_REQUESTS, minute(), 10, 9);
        world.counters.add(HealthSignal.WEBHOOK_ATTEMPTS, minute(), 100, 20);
        for (int i = 0; i < 3; i++) {
            minutePasses();
            world.run();
        }
        assertThat(world.notices.open()).isEmpty();
        assertThat(world.published().path("status").asText()).isEqualTo("operational");
    }

    @Test
    void aQueueWhoseProbeWaitsPastTheAgeIsDegradedAndAnIncidentUntilTheProbeArrives() {
        world.run();
        assertThat(world.probes.sent).containsExactlyInAnyOrder(Tier.values());
        world.clock.advance(Duration.ofMinutes(6));
        world.depths.put(Tier.FREE, 4200L);
        world.run();
        JsonNode queues = StatusWorld.component(world.published(), "queues");
        assertThat(queues.path("status").asText()).isEqualTo("degraded");
        assertThat(queues.path("queues").findValues("oldest_message_age_seconds")).allMatch(v -> v.asLong() == 360);
        world.clock.advance(Duration.ofMinutes(1));
        world.run();
        JsonNode incident = world.published().path("incidents").path("active").get(0);
        assertThat(incident.path("title").asText()).isEqualTo("Jobs waiting long to start");
        assertThat(incident.path("updates").get(0).path("message").asText()).contains("free queue's oldest job has waited 420 s");

        world.probes.arrive();
        world.clock.advance(Duration.ofMinutes(1));
        world.run();
        assertThat(world.published().path("incidents").path("active")).isEmpty();
        assertThat(StatusWorld.component(world.published(), "queues").path("status").asText()).isEqualTo("operational");
    }

    @Test
    void aMaintenanceWindowStartsAndCompletesByItselfAndItsMinutesCountNeitherWay() {
        Instant now = world.clock.instant();
        world.incidents.schedule("Provider migration", List.of("seedream"), now.plus(Duration.ofMinutes(10)),
                now.plus(Duration.ofMinutes(40)), "Seedream jobs run on flux meanwhile.");
        world.clock.advance(Duration.ofMinutes(15));
        world.run();
        assertThat(StatusWorld.component(world.published(), "seedream").path("status").asText()).isEqualTo("maintenance");
        assertThat(world.published().path("maintenance").path("scheduled").get(0).path("status").asText())
                .isEqualTo("in_progress");
        world.clock.advance(Duration.ofMinutes(30));
        world.run();
        assertThat(world.announcements.types()).containsExactly("status.maintenance.scheduled",
                "status.maintenance.started", "status.maintenance.completed");
        JsonNode seedream = StatusWorld.component(world.published(), "seedream");
        assertThat(seedream.path("status").asText()).isEqualTo("operational");
        assertThat(seedream.path("uptime").path("percent").decimalValue()).as("a maintenance minute counts neither way")
                .isEqualByComparingTo("100");
        assertThat(world.published().path("maintenance").path("finished").get(0).path("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void aProviderWhoseIncidentNoDispatcherOpenedGetsOneFromTheMonitorAndLosesItWhenItsCircuitCloses() {
        Instant tripped = world.clock.instant().minusSeconds(20);
        world.circuits.trip("kling", tripped, Unavailability.CAPACITY);
        assertThat(world.run().incidentsOpened()).isEqualTo(1);
        JsonNode kling = StatusWorld.component(world.published(), "kling");
        assertThat(kling.path("status").asText()).isEqualTo("partial_outage");
        assertThat(kling.path("provider").path("circuit").asText()).isEqualTo("open");
        assertThat(kling.path("provider").path("since").asText()).isEqualTo(tripped.toString());
        assertThat(kling.path("provider").path("failure_kinds").get(0).asText()).isEqualTo("capacity");
        assertThat(kling.path("provider").path("serving_model").asText()).isEqualTo("seedance");
        assertThat(world.published().path("incidents").path("active").get(0).path("cause").path("provider").asText())
                .isEqualTo("kling");

        world.circuits.close("kling");
        minutePasses();
        assertThat(world.run().incidentsResolved()).isEqualTo(1);
        assertThat(world.published().path("incidents").path("active")).isEmpty();
    }

    @Test
    void anIncidentADispatcherOpensWhileTheMonitorReadsTheCircuitsStaysOpen() {
        Instant tripped = world.clock.instant();
        // The monitor reads kling's circuit closed; a dispatcher then trips it and opens its incident.
        world.circuits.afterNextRead("kling", () -> {
            world.circuits.trip("kling", tripped, Unavailability.CAPACITY);
            assertThat(world.incidents.providerDown("kling", tripped, java.util.Set.of(Unavailability.CAPACITY), 5,
                    world.board.snapshot(tripped))).isTrue();
        });

        assertThat(world.run().incidentsResolved()).as("its circuit is open: the incident stands").isZero();
        assertThat(world.published().path("incidents").path("active")).hasSize(1);
        assertThat(StatusWorld.component(world.published(), "kling").path("provider").path("circuit").asText())
                .isEqualTo("open");
    }

    @Test
    void anUpdateWhoseAnnouncementWasLostIsAnnouncedByTheNextRunAMinuteLaterOnce() {
        NoticeAnnouncer lossy = new NoticeAnnouncer(world.notices, event -> {
            throw new IllegalStateException("the webhook queue is unreachable");
        });
        Incidents lossyIncidents = new Incidents(world.catalog, world.notices, lossy, world.board, () -> "0".repeat(26),
                world.clock);
        lossyIncidents.open("Lost", List.of("api"), "degraded", "Announced by the monitor.");
        assertThat(world.announcements.events).isEmpty();
        world.run();
        assertThat(world.announcements.events).as("not yet a minute old").isEmpty();
        minutePasses();
        assertThat(world.run().reannounced()).isEqualTo(1);
        minutePasses();
        assertThat(world.run().reannounced()).isZero();
        NoticeEvent event = world.announcements.events.get(0);
        assertThat(event.type()).isEqualTo("status.incident.opened");
        assertThat(event.id()).isEqualTo(NoticeEvent.idOf("inc_" + "0".repeat(26), 1));
    }

    @Test
    void aMinuteIsCountedOnceHoweverOftenItsRunRepeats() {
        assertThat(world.run().minuteCounted()).isTrue();
        assertThat(world.run().minuteCounted()).isFalse();
        world.clock.advance(Duration.ofSeconds(20));
        assertThat(world.run().minuteCounted()).as("the same minute").isFalse();
        assertThat(world.uptime.days(java.time.LocalDate.parse("2026-12-01"), java.time.LocalDate.parse("2026-12-01"))
                .get(0).minutes().get(ComponentId.API)).containsEntry(ComponentStatus.OPERATIONAL, 1);
    }

    @Test
    void theDocumentARunPublishesCountsTheMinuteItCountedAsARebuildAfterItShowsIt() {
        world.counters.add(HealthSignal.API_REQUESTS, minute(), 100, 30);
        for (int run = 0; run < 8; run++) {
            // Every other run repeats its minute, which it does not count again (nor show counted twice).
            JsonNode published = Json.read(world.run().document());
            JsonNode rebuilt = Json.read(world.board.refresh(world.clock.instant()));
            for (String component : List.of("api", "webhooks", "queues", "seedream", "kling")) {
                assertThat(StatusWorld.component(published, component).path("uptime"))
                        .as(component + " after run " + run + " (the first of its day)")
                        .isEqualTo(StatusWorld.component(rebuilt, component).path("uptime"));
            }
            // From :30 to :50 of the same minute, then to :30 of the next.
            world.clock.advance(Duration.ofSeconds(run % 2 == 0 ? 20 : 40));
            world.probes.arrive();
        }
        assertThat(StatusWorld.component(world.published(), "api").path("uptime").path("percent").isNull())
                .as("the runs counted minutes").isFalse();
    }

    @Test
    void aRunWhoseIndependentCallsAreMadeInAnyOrderPublishesWhatItWouldOneAfterAnother() {
        StatusWorld reversed = new StatusWorld("2026-12-01T10:00:30Z", new Fanout() {
            @Override
            public <T> List<T> all(List<? extends java.util.function.Supplier<? extends T>> calls) {
                List<T> results = new java.util.ArrayList<>(java.util.Collections.nCopies(calls.size(), null));
                for (int i = calls.size() - 1; i >= 0; i--) {
                    results.set(i, calls.get(i).get());
                }
                return results;
            }
        });
        for (StatusWorld w : List.of(world, reversed)) {
            w.counters.add(HealthSignal.API_REQUESTS, w.clock.instant().truncatedTo(ChronoUnit.MINUTES), 100, 30);
            w.circuits.trip("kling", w.clock.instant(), Unavailability.TIMEOUT);
        }
        for (int run = 0; run < 3; run++) {
            minutePasses();
            reversed.clock.advance(Duration.ofMinutes(1));
            reversed.probes.arrive();
            assertThat(reversed.run()).as("run %d", run).isEqualTo(world.run());
            assertThat(reversed.published()).isEqualTo(world.published());
        }
        assertThat(world.published().path("incidents").path("active")).as("the API's and kling's").hasSize(2);
    }
}
