package run.creativeai.gateway.limits;

import java.util.Comparator;
import java.util.List;

/** The outcome of checking every rule that applies to a request, all together. */
public sealed interface AdmissionDecision permits AdmissionDecision.Admitted, AdmissionDecision.Refused {

    /** The state of every rule checked, after counting (admitted) or unchanged (refused). */
    List<LimitState> states();

    /** The rule the rate-limit headers describe: the one with the fewest units left, then the soonest reset. */
    default LimitState tightest() {
        return states().stream()
                .min(Comparator.comparingLong(LimitState::remaining).thenComparing(LimitState::resetAt))
                .orElseThrow();
    }

    /** Every rule passed and every counter now includes this request. */
    record Admitted(List<LimitState> states) implements AdmissionDecision {
        public Admitted {
            states = List.copyOf(states);
            if (states.isEmpty()) {
                throw new IllegalArgumentException("an admission reports at least one rule");
            }
        }
    }

    /** {@code refusedBy} would be exceeded; nothing was counted. */
    record Refused(LimitState refusedBy, List<LimitState> states) implements AdmissionDecision {
        public Refused {
            states = List.copyOf(states);
        }

        @Override
        public LimitState tightest() {
            return refusedBy;
        }
    }
}
