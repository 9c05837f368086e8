package run.creativeai.gateway.limits;

import java.time.Instant;
import java.util.List;

/**
 * Decides a request against every rule that applies to it, atomically: either all charges pass and
 * all are counted, or none is. Implementations must never admit past a limit, however many callers race.
 */
public interface Limiter {
    AdmissionDecision admit(List<LimitCharge> charges, Instant now);
}
