package run.creativeai.gateway.status;

import java.time.Duration;
import java.util.Map;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitState;

/**
 * When a component counts as degraded or out, in one place. The API by the share of its answers
 * that were 5xx (5 % is where its alarm fires), webhook delivery by the share of attempts without a
 * 2xx (20 %, likewise), each over a window and only from enough events to mean something; the job
 * queues by the age of their oldest message (the template's OldestMessageAlarmSeconds); a model by
 * its provider's circuit, and whether another model of its chain serves its jobs meanwhile.
 */
public record HealthPolicy(Duration window, long minimumRequests, double apiDegraded, double apiPartialOutage,
        double apiMajorOutage, long minimumAttempts, double webhooksDegraded, double webhooksPartialOutage,
        Duration queueAge) {

    public static final Duration STANDARD_WINDOW = Duration.ofMinutes(5);

    public static HealthPolicy standard(Duration queueAge) {
        return new HealthPolicy(STANDARD_WINDOW, 20, 0.05, 0.25, 0.75, 10, 0.20, 0.50, queueAge);
    }

    public ComponentStatus api(HealthCounters.Counts answers) {
        if (answers.total() < minimumRequests) {
            return ComponentStatus.OPERATIONAL;
        }
        double share = answers.failedShare();
        return share > apiMajorOutage ? ComponentStatus.MAJOR_OUTAGE
                : share > apiPartialOutage ? ComponentStatus.PARTIAL_OUTAGE
                : share > apiDegraded ? ComponentStatus.DEGRADED : ComponentStatus.OPERATIONAL;
    }

    public ComponentStatus webhooks(HealthCounters.Counts attempts) {
        if (attempts.total() < minimumAttempts) {
            return ComponentStatus.OPERATIONAL;
        }
        double share = attempts.failedShare();
        return share > webhooksPartialOutage ? ComponentStatus.PARTIAL_OUTAGE
                : share > webhooksDegraded ? ComponentStatus.DEGRADED : ComponentStatus.OPERATIONAL;
    }

    /** The worst tier: degraded past the age, a partial outage past three times it. */
    public ComponentStatus queues(Map<Tier, Readings.QueueReading> queues) {
        Duration oldest = queues.values().stream().map(Readings.QueueReading::oldest).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        return oldest.compareTo(queueAge.multipliedBy(3)) > 0 ? ComponentStatus.PARTIAL_OUTAGE
                : oldest.compareTo(queueAge) > 0 ? ComponentStatus.DEGRADED : ComponentStatus.OPERATIONAL;
    }

    /**
     * A model whose provider's circuit is open is out: partly while another model of its chain
     * serves its jobs (they succeed, on that model), wholly when none can.
     */
    public ComponentStatus model(CircuitState circuit, boolean servedByAnother) {
        if (circuit.isClosed()) {
            return ComponentStatus.OPERATIONAL;
        }
        return servedByAnother ? ComponentStatus.PARTIAL_OUTAGE : ComponentStatus.MAJOR_OUTAGE;
    }
}
