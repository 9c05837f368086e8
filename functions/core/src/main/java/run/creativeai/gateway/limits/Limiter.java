package run.creativeai.gateway.limits;

import java.time.Instant;
import java.util.List;

/**
 * Decides a request against every rule that applies to it, atomically: either all charges pass and
 * all are counted, or none is. Implementations must never admit past a limit, however many callers
 * race, and never refuse a request that every rule has room for.
 */
public interface Limiter {
    AdmissionDecision admit(List<LimitCharge> charges, Instant now);

    /** Where each charge's counter stands at {@code now}, counting nothing (the costs are ignored). */
    List<LimitState> peek(List<LimitCharge> charges, Instant now);
}
