package run.creativeai.gateway.status;

import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.CircuitTransition;
import run.creativeai.gateway.provider.CircuitWatch;

/**
 * The dispatcher's side of the status page: the one dispatcher whose outcome tripped a provider's
 * circuit opens its incident and publishes the page at once; the one whose success closed it
 * resolves the incident. Whatever fails here is logged and left to the status monitor, which
 * reconciles incidents with the circuits every minute: a job's step never fails for the status page.
 */
public final class CircuitIncidents implements CircuitWatch {
    private static final Logger LOG = LoggerFactory.getLogger(CircuitIncidents.class);

    private final Incidents incidents;
    private final StatusBoard board;

    public CircuitIncidents(Incidents incidents, StatusBoard board) {
        this.incidents = incidents;
        this.board = board;
    }

    @Override
    public void changed(String provider, CircuitTransition transition, Instant at) {
        try {
            if (transition instanceof CircuitTransition.Opened opened) {
                StatusSnapshot snapshot = board.snapshot(at);
                CircuitState circuit = snapshot.circuits().getOrDefault(provider, CircuitState.closed());
                incidents.providerDown(provider, opened.trippedAt(), opened.kinds(), circuit.failures(), snapshot);
            } else if (transition instanceof CircuitTransition.Closed closed) {
                incidents.providerBack(provider, closed.trippedAt(), at);
            } else {
                return;
            }
            board.refresh(at);
        } catch (RuntimeException e) {
            LOG.warn("the status page did not take in the circuit of {} ({}); the status monitor will within a minute",
                    provider, transition, e);
        }
    }
}
