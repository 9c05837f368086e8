package run.creativeai.gateway.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.provider.Unavailability;

class IncidentsTest {
    private final StatusWorld world = new StatusWorld("2026-12-01T10:00:00Z");
    private final Incidents incidents = world.incidents;

    private Notice done(Incidents.Result result) {
        assertThat(result).isInstanceOf(Incidents.Done.class);
        return ((Incidents.Done) result).notice();
    }

    private String refused(Incidents.Result result) {
        assertThat(result).isInstanceOf(Incidents.Refused.class);
        return ((Incidents.Refused) result).reason();
    }

    @Test
    void anOperatorsIncidentIsPublishedAtOnceAndEachUpdateIsAnnouncedUntilItIsResolved() {
        Notice opened = done(incidents.open("Slow video renders", List.of("kling", "vidu"), "degraded",
                "Video jobs take longer than usual."));
        JsonNode page = world.published();
        assertThat(page.path("incidents").path("active").get(0).path("id").asText()).isEqualTo(opened.id());
        assertThat(StatusWorld.component(page, "kling").path("status").asText()).isEqualTo("degraded");
        assertThat(page.path("status").asText()).isEqualTo("degraded");

        world.clock.advance(Duration.ofMinutes(10));
        done(incidents.update(opened.id(), "identified", "A provider region is saturated.", Optional.of("partial_outage")));
        assertThat(StatusWorld.component(world.published(), "vidu").path("status").asText()).isEqualTo("partial_outage");
        world.clock.advance(Duration.ofMinutes(10));
        Notice resolved = done(incidents.resolve(opened.id(), "Renders are back to their usual times."));

        assertThat(world.announcements.types()).containsExactly("status.incident.opened", "status.incident.updated",
                "status.incident.resolved");
        assertThat(world.announcements.events.get(2).data().path("updates")).hasSize(3);
        page = world.published();
        assertThat(page.path("incidents").path("active")).isEmpty();
        assertThat(page.path("incidents").path("resolved").get(0).path("resolved_at").asText())
                .isEqualTo(resolved.closedAt().orElseThrow().toString());
        assertThat(page.path("status").asText()).isEqualTo("operational");
    }

    @Test
    void badInputIsRefusedWithAReasonAndChangesNothing() {
        Notice open = done(incidents.open("Webhooks late", List.of("webhooks"), "degraded", "Deliveries are late."));
        Notice resolved = done(incidents.open("Old", List.of("api"), "degraded", "x"));
        done(incidents.resolve(resolved.id(), "fixed"));
        int announced = world.announcements.events.size();
        List<Notice> before = List.copyOf(world.notices.open());

        assertThat(refused(incidents.open("Seadream down", List.of("seadream", "api"), "major_outage", "x")))
                .contains("unknown component seadream").contains("seedream");
        assertThat(refused(incidents.open("x", List.of(), "major_outage", "x"))).contains("at least one component");
        assertThat(refused(incidents.open(" ", List.of("api"), "major_outage", "x"))).contains("title must not be empty");
        assertThat(refused(incidents.open("x", List.of("api"), "operational", "x"))).contains("impact must be");
        assertThat(refused(incidents.open("x\u001b[31m", List.of("api"), "degraded", "x"))).contains("control characters");
        assertThat(refused(incidents.update(resolved.id(), "monitoring", "again?", Optional.empty())))
                .contains("was resolved at").contains("takes no more updates");
        assertThat(refused(incidents.resolve(resolved.id(), "again"))).contains("was resolved");
        assertThat(refused(incidents.update("inc_nope", "monitoring", "x", Optional.empty()))).contains("no incident inc_nope");
        assertThat(refused(incidents.update(open.id(), "fixed-ish", "x", Optional.empty()))).contains("status must be one of");
        assertThat(refused(incidents.update(open.id(), "monitoring", "x", Optional.of("bad")))).contains("impact must be");

        assertThat(world.notices.open()).isEqualTo(before);
        assertThat(world.announcements.events).hasSize(announced);
    }

    @Test
    void aMaintenanceWindowThatEndsBeforeItStartsOrInThePastIsRefusedAndACancelledOneTakesNoMore() {
        Instant now = world.clock.instant();
        assertThat(refused(incidents.schedule("Upgrade", List.of("api"), now.plus(Duration.ofHours(2)),
                now.plus(Duration.ofHours(1)), "x"))).contains("must end after it starts");
        assertThat(refused(incidents.schedule("Upgrade", List.of("api"), now.minus(Duration.ofHours(2)),
                now.minus(Duration.ofHours(1)), "x"))).contains("ends in the past");
        assertThat(refused(incidents.schedule("Upgrade", List.of("nothing"), now.plus(Duration.ofHours(1)),
                now.plus(Duration.ofHours(2)), "x"))).contains("unknown component nothing");
        assertThat(world.notices.open()).isEmpty();

        Notice window = done(incidents.schedule("Database upgrade", List.of("api", "webhooks"),
                now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)), "The API may answer slowly."));
        assertThat(refused(incidents.reschedule(window.id(), Optional.empty(), Optional.of(now), "earlier")))
                .contains("must end after it starts");
        done(incidents.reschedule(window.id(), Optional.of(now.plus(Duration.ofHours(3))),
                Optional.of(now.plus(Duration.ofHours(4))), "Moved by two hours."));
        done(incidents.cancel(window.id(), "Not needed after all."));
        assertThat(refused(incidents.cancel(window.id(), "again"))).contains("is canceled");
        assertThat(world.announcements.types()).containsExactly("status.maintenance.scheduled",
                "status.maintenance.updated", "status.maintenance.canceled");
        JsonNode finished = world.published().path("maintenance").path("finished").get(0);
        assertThat(finished.path("status").asText()).isEqualTo("canceled");
        assertThat(finished.path("starts_at").asText()).isEqualTo(now.plus(Duration.ofHours(3)).toString());
    }

    @Test
    void aProviderOutageReportedTwiceOpensOneIncidentAndItsEndResolvesItOnce() {
        Instant tripped = world.clock.instant();
        world.circuits.trip("seedream", tripped, Unavailability.SERVER_ERROR);
        StatusSnapshot snapshot = world.board.snapshot(tripped);
        assertThat(incidents.providerDown("seedream", tripped, Set.of(Unavailability.SERVER_ERROR), 5, snapshot)).isTrue();
        assertThat(incidents.providerDown("seedream", tripped, Set.of(Unavailability.SERVER_ERROR), 5, snapshot))
                .as("the same outage, reported again").isFalse();
        Incident incident = (Incident) world.notices.open().get(0);
        assertThat(incident.components()).containsExactly(new ComponentId("seedream"));
        assertThat(incident.impact()).as("flux serves its jobs").isEqualTo(ComponentStatus.PARTIAL_OUTAGE);
        assertThat(incident.latest().message()).contains("server_error").contains("run on flux");

        assertThat(incidents.providerBack("seedream", tripped.minusSeconds(60), world.clock.instant()))
                .as("another outage's end").isFalse();
        world.circuits.close("seedream");
        assertThat(incidents.providerBack("seedream", tripped, world.clock.instant())).isTrue();
        assertThat(incidents.providerBack("seedream", tripped, world.clock.instant())).isFalse();
        assertThat(world.announcements.types()).containsExactly("status.incident.opened", "status.incident.resolved");
    }

    @Test
    void aModelNoLinkOfItsChainCanServeIsInMajorOutage() {
        Instant now = world.clock.instant();
        for (String provider : List.of("seedream", "flux", "sdxl")) {
            world.circuits.trip(provider, now, Unavailability.TIMEOUT);
        }
        incidents.providerDown("seedream", now, Set.of(Unavailability.TIMEOUT), 5, world.board.snapshot(now));
        Incident incident = (Incident) world.notices.open().get(0);
        assertThat(incident.impact()).isEqualTo(ComponentStatus.MAJOR_OUTAGE);
        assertThat(incident.latest().message()).contains("No other model of the chain can take its jobs");
    }
}
