package run.creativeai.gateway.limits;

import java.util.Objects;

/**
 * Credits a request takes from its tenant's balance, decided in the same atomic write as its limits:
 * either the limits all count and the credits are reserved, or nothing happens. The reservation is
 * the most the job can cost; settlement later keeps what it did cost and gives the rest back.
 *
 * @param tenant whose balance pays
 * @param credits how many, at least one (a request that costs nothing reserves nothing)
 */
public record CreditReservation(String tenant, long credits) {
    public CreditReservation {
        Objects.requireNonNull(tenant, "tenant");
        if (credits < 1) {
            throw new IllegalArgumentException("a reservation takes at least one credit");
        }
    }
}
