package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.status.Incidents;
import run.creativeai.gateway.status.StatusBoard;
import run.creativeai.gateway.status.StatusMonitor;

/** The status function's parts, built once per container: the {@link StatusMonitor} and everything it reads and writes. */
public final class StatusWiring {
    private final StatusMonitor monitor;

    public StatusWiring(Components c) {
        StatusBoard board = StatusAdapters.board(c, ModelCatalog.defaults());
        Incidents incidents = StatusAdapters.incidents(c, board);
        SqsJobQueue tierQueues = Adapters.tierQueues(c);
        this.monitor = new StatusMonitor(board, incidents, StatusAdapters.notices(c), StatusAdapters.announcer(c),
                StatusAdapters.counters(c), tierQueues::pending, StatusAdapters.probes(c), StatusAdapters.publication(c),
                StatusAdapters.uptime(c), StatusAdapters.policy(c), ConcurrentCalls.AT_ONCE);
    }

    public StatusMonitor monitor() {
        return monitor;
    }
}
