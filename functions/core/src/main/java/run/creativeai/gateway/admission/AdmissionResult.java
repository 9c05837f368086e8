package run.creativeai.gateway.admission;

import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;

/** What became of a generation request at the door. */
public sealed interface AdmissionResult
        permits AdmissionResult.Accepted, AdmissionResult.RateLimited, AdmissionResult.QueueUnavailable {

    /** Counted, stored and queued. */
    record Accepted(Job job, AdmissionDecision.Admitted decision) implements AdmissionResult {
    }

    /** A limit refused it; nothing was counted or stored. */
    record RateLimited(AdmissionDecision.Refused decision) implements AdmissionResult {
    }

    /** Stored, but the queue could not take it: the job was failed at once, so it is not left pending. */
    record QueueUnavailable(Job job) implements AdmissionResult {
    }
}
