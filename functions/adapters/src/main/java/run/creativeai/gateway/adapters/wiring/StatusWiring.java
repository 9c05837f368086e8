package run.creativeai.gateway.adapters.wiring;

import java.util.List;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.dynamodb.status.StatusTable;
import run.creativeai.gateway.adapters.lambda.Rehearsals;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.status.Incidents;
import run.creativeai.gateway.status.StatusBoard;
import run.creativeai.gateway.status.StatusMonitor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The status function's parts, built once per container: the {@link StatusMonitor} and everything it reads and writes. */
public final class StatusWiring {
    /** The status table's item a rehearsal names: none is ever written. */
    private static final String PRIMING = "priming-absent";
    private final StatusMonitor monitor;
    private final Runnable rehearsal;

    public StatusWiring(Components c) {
        StatusBoard board = StatusAdapters.board(c, ModelCatalog.defaults());
        Incidents incidents = StatusAdapters.incidents(c, board);
        SqsJobQueue tierQueues = Adapters.tierQueues(c);
        this.monitor = new StatusMonitor(board, incidents, StatusAdapters.notices(c), StatusAdapters.announcer(c),
                StatusAdapters.counters(c), tierQueues::pending, StatusAdapters.probes(c), StatusAdapters.publication(c),
                StatusAdapters.uptime(c), StatusAdapters.policy(c), ConcurrentCalls.AT_ONCE);
        // A run's writes past what its reads reach: the readings' put, the conditional updates of the
        // probes, uptime and document, and a probe's message, each on an item or queue that does not exist.
        String table = StatusAdapters.table(c);
        String probeQueue = c.environment().required(Components.FREE_QUEUE_URL);
        this.rehearsal = () -> {
            Rehearsals.failedPut(c.dynamoDb(), table, Map.of(StatusTable.PK, AttributeValue.fromS(PRIMING),
                    StatusTable.SK, AttributeValue.fromS(PRIMING), StatusTable.DOCUMENT, AttributeValue.fromS("{}")));
            Rehearsals.failedUpdate(c.dynamoDb(), table, StatusTable.key(PRIMING, PRIMING));
            Rehearsals.sendToAbsentQueue(c.sqs(), probeQueue);
            // And a whole run, walked where no table, queue or bucket sees it.
            rehearsedRun(c);
        };
    }

    /**
     * A whole run against a {@link Rehearsals#againstStandIn stand-in}: the readings, the probes sent,
     * the incidents reconciled, the minute counted, the document published, each answered as done.
     *
     * @return the calls the stand-in answered, in order
     */
    public static List<String> rehearsedRun(Components c) {
        return Rehearsals.againstStandIn(c, standIn -> new StatusWiring(standIn).monitor().run(standIn.clock().instant()));
    }

    /** What priming runs beside a preview of the document ({@link Rehearsals}). */
    public Runnable rehearsal() {
        return rehearsal;
    }

    public StatusMonitor monitor() {
        return monitor;
    }
}
