package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.provider.CircuitState;

/**
 * Every component's state at one moment, and what it was read from.
 *
 * @param measured the state each component's own signal or circuit gives it, before notices
 * @param statuses the state the page shows: maintenance over everything, else the worse of the
 *                 measured state and the impact of every open incident on the component
 * @param circuits each provider's circuit
 * @param serving  for each model, the model that serves its jobs now: itself, a later link of its
 *                 chain whose provider's circuit is closed, or none
 * @param open     the open incidents and maintenance windows
 */
public record StatusSnapshot(Instant at, Map<ComponentId, ComponentStatus> measured,
        Map<ComponentId, ComponentStatus> statuses, Map<String, CircuitState> circuits,
        Map<ComponentId, Optional<String>> serving, Readings readings, List<Notice> open) {

    public StatusSnapshot {
        measured = Map.copyOf(measured);
        statuses = Map.copyOf(statuses);
        circuits = Map.copyOf(circuits);
        serving = Map.copyOf(serving);
        open = List.copyOf(open);
    }

    public ComponentStatus status(ComponentId component) {
        return statuses.getOrDefault(component, ComponentStatus.OPERATIONAL);
    }
}
