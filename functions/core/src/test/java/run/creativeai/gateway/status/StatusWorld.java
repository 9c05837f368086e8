package run.creativeai.gateway.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import run.creativeai.gateway.config.Fanout;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.testing.InMemoryStatus;
import run.creativeai.gateway.testing.MutableClock;

/** Everything the status page is made of, in memory, around one hand-moved clock. */
final class StatusWorld {
    final MutableClock clock;
    final InMemoryStatus.Circuits circuits = new InMemoryStatus.Circuits();
    final InMemoryStatus.Notices notices = new InMemoryStatus.Notices();
    final InMemoryStatus.Publication publication = new InMemoryStatus.Publication();
    final InMemoryStatus.Uptime uptime = new InMemoryStatus.Uptime();
    final InMemoryStatus.Counters counters = new InMemoryStatus.Counters();
    final InMemoryStatus.Probes probes = new InMemoryStatus.Probes();
    final InMemoryStatus.Announcements announcements = new InMemoryStatus.Announcements();
    final Map<Tier, Long> depths = new EnumMap<>(Tier.class);
    final StatusCatalog catalog = new StatusCatalog(ModelCatalog.defaults());
    final HealthPolicy policy = HealthPolicy.standard(Duration.ofMinutes(5));
    final StatusBoard board;
    final NoticeAnnouncer announcer;
    final Incidents incidents;
    final StatusMonitor monitor;
    private int ids;

    StatusWorld(String start) {
        this(start, Fanout.inOrder());
    }

    /** @param fanout how the monitor and the board make their independent calls */
    StatusWorld(String start, Fanout fanout) {
        this.clock = MutableClock.at(start);
        this.board = new StatusBoard(catalog, circuits, notices, uptime, publication, publication, policy, fanout);
        this.announcer = new NoticeAnnouncer(notices, announcements);
        IdSource sequence = () -> String.format("%026d", ++ids);
        this.incidents = new Incidents(catalog, notices, announcer, board, sequence, clock);
        this.monitor = new StatusMonitor(board, incidents, notices, announcer, counters,
                tier -> depths.getOrDefault(tier, 0L), probes, publication, uptime, policy, fanout);
    }

    /** The published document, as {@code GET /v1/status} serves it. */
    JsonNode published() {
        return Json.read(publication.current().orElseThrow(() -> new AssertionError("nothing published")));
    }

    static JsonNode component(JsonNode document, String id) {
        for (JsonNode c : document.path("components")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no component " + id + " in " + document);
    }

    StatusMonitor.Report run() {
        return monitor.run(clock.instant());
    }
}
