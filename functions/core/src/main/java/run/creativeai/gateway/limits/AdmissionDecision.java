package run.creativeai.gateway.limits;

import java.util.Comparator;
import java.util.List;

/** The outcome of checking every rule that applies to a request, all together. */
public sealed interface AdmissionDecision permits AdmissionDecision.Admitted, AdmissionDecision.Refused,
        AdmissionDecision.InsufficientCredits {

    /** The state of every rule checked, after counting (admitted) or unchanged (refused), in charge order. */
    List<LimitState> states();

    /** The rule the rate-limit headers describe: the one with the fewest units left, then the soonest reset. */
    default LimitState tightest() {
        return tightestOf(states());
    }

    static LimitState tightestOf(List<LimitState> states) {
        return states.stream()
                .min(Comparator.comparingLong(LimitState::remaining).thenComparing(LimitState::resetAt))
                .orElseThrow();
    }

    /** Every rule passed and every counter now includes this request (no states: no rule applied). */
    record Admitted(List<LimitState> states) implements AdmissionDecision {
        public Admitted {
            states = List.copyOf(states);
        }
    }

    /**
     * {@code refusedBy} would be exceeded (of several, the one that frees last, so that its reset is
     * a truthful Retry-After); nothing was counted.
     */
    record Refused(LimitState refusedBy, List<LimitState> states) implements AdmissionDecision {
        public Refused {
            states = List.copyOf(states);
        }

        @Override
        public LimitState tightest() {
            return refusedBy;
        }
    }

    /**
     * The tenant's balance cannot cover the request's reservation: nothing was counted or reserved.
     *
     * @param balance  credits the tenant could spend at the decision
     * @param required credits the request would have reserved
     */
    record InsufficientCredits(long balance, long required, List<LimitState> states) implements AdmissionDecision {
        public InsufficientCredits {
            states = List.copyOf(states);
            if (balance >= required) {
                throw new IllegalArgumentException("a balance of " + balance + " covers " + required + " credits");
            }
        }
    }
}
