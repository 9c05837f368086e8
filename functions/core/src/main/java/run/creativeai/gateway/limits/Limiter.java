package run.creativeai.gateway.limits;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides a request against every rule that applies to it, and its tenant's credit balance,
 * atomically: either all charges pass, all are counted and the credits are reserved, or nothing is
 * counted or reserved. Implementations must never admit past a limit nor reserve past a balance,
 * however many callers race, and never refuse a request that every rule and the balance have room
 * for. A request short of credits is refused as such ({@link AdmissionDecision.InsufficientCredits})
 * whatever its limits say, since waiting does not cure it.
 */
public interface Limiter {
    AdmissionDecision admit(List<LimitCharge> charges, Optional<CreditReservation> credits, Instant now);

    /**
     * As {@link #admit(List, Optional, Instant)}, and when admitted, {@code created} created: a refused
     * request creates nothing. An implementation that can write it in the same atomic write as the
     * counters and the reservation does so (one round trip less, and no crash can leave credits
     * reserved for a job that was never written); this default creates it on its own right after.
     *
     * @throws IllegalStateException if what it creates exists already
     */
    default AdmissionDecision admitCreating(List<LimitCharge> charges, Optional<CreditReservation> credits,
            Creation created, Instant now) {
        AdmissionDecision decision = charges.isEmpty() && credits.isEmpty() ? new AdmissionDecision.Admitted(List.of())
                : admit(charges, credits, now);
        if (decision instanceof AdmissionDecision.Admitted && !created.createAlone()) {
            throw new IllegalStateException(created + " collided with an existing one");
        }
        return decision;
    }

    /** A request that reserves no credits (a read, or a job that costs nothing). */
    default AdmissionDecision admit(List<LimitCharge> charges, Instant now) {
        return admit(charges, Optional.empty(), now);
    }

    /** Where each charge's counter stands at {@code now}, counting nothing (the costs are ignored). */
    List<LimitState> peek(List<LimitCharge> charges, Instant now);
}
