package run.creativeai.gateway.admission;

import java.time.Duration;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;

/** What became of a generation request at the door. */
public sealed interface AdmissionResult permits AdmissionResult.Accepted, AdmissionResult.RateLimited,
        AdmissionResult.Unfunded, AdmissionResult.OverKeyBudget, AdmissionResult.QueueFull,
        AdmissionResult.QueueUnavailable {

    /** Counted, stored and queued; {@code queue} is the tier queue's depth as admission read it. */
    record Accepted(Job job, AdmissionDecision.Admitted decision, QueueReading queue) implements AdmissionResult {
    }

    /** A limit or the daily quota refused it; nothing was counted or stored. */
    record RateLimited(AdmissionDecision.Refused decision) implements AdmissionResult {
    }

    /** The tenant's balance cannot cover what the job may cost; nothing was counted, reserved or stored. */
    record Unfunded(AdmissionDecision.InsufficientCredits decision) implements AdmissionResult {
    }

    /**
     * The key's daily budget of credits cannot cover the {@code required} credits the job may cost;
     * nothing was counted, reserved or stored.
     */
    record OverKeyBudget(AdmissionDecision.Refused decision, long required) implements AdmissionResult {
    }

    /** The tier's queue holds more than its limit; nothing was counted or stored. */
    record QueueFull(Duration retryAfter, QueueReading queue) implements AdmissionResult {
    }

    /** Stored, but the queue could not take it: the job was failed at once, so it is not left pending. */
    record QueueUnavailable(Job job) implements AdmissionResult {
    }
}
