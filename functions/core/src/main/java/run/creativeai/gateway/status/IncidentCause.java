package run.creativeai.gateway.status;

import java.time.Instant;

/** Why an incident was opened: by an operator, or by the gateway from what it saw. */
public sealed interface IncidentCause permits IncidentCause.Operator, IncidentCause.ProviderOutage,
        IncidentCause.SignalBreach {

    /**
     * What identifies the cause: an automatic incident's id is derived from it, so the same outage
     * seen by two functions, or twice, opens one incident.
     */
    String key();

    default boolean isAutomatic() {
        return !(this instanceof Operator);
    }

    record Operator() implements IncidentCause {
        @Override
        public String key() {
            throw new IllegalStateException("an operator's incident has an id of its own");
        }
    }

    /** A provider's circuit tripped at {@code since}; the incident lasts until it closes. */
    record ProviderOutage(String provider, Instant since) implements IncidentCause {
        @Override
        public String key() {
            return "provider:" + provider + ":" + since.toEpochMilli();
        }
    }

    /** A measured signal (the API's 5xx share, webhook failures, queue age) left its bounds at {@code since}. */
    record SignalBreach(ComponentId component, Instant since) implements IncidentCause {
        @Override
        public String key() {
            return "signal:" + component + ":" + since.toEpochMilli();
        }
    }
}
