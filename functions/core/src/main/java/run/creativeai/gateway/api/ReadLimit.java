package run.creativeai.gateway.api;

import java.time.Clock;
import java.time.Instant;
import java.util.function.BiFunction;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.limits.AdmissionDecision;

/**
 * Status and quota reads, counted against the read limit alone: refused with a 429, or answered
 * with the limit headers of the read.
 */
public final class ReadLimit {
    private final AdmissionService admissions;
    private final Clock clock;

    public ReadLimit(AdmissionService admissions, Clock clock) {
        this.admissions = admissions;
        this.clock = clock;
    }

    /** Counts the read, then answers it with {@code read} (given the decision and its instant) plus the limit headers. */
    public ApiResponse counted(Principal principal, BiFunction<AdmissionDecision, Instant, ApiResponse> read) {
        AdmissionDecision decision = admissions.admitRead(principal);
        Instant now = clock.instant();
        if (decision instanceof AdmissionDecision.Refused refused) {
            return RateLimitResponses.tooManyRequests(refused, now).toResponse();
        }
        return read.apply(decision, now).withHeaders(RateLimitResponses.headers(decision, now));
    }
}
