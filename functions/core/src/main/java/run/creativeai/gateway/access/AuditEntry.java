package run.creativeai.gateway.access;

import java.time.Instant;
import java.util.Objects;

/**
 * One change an operator made to a tenant, as its audit trail keeps it.
 *
 * @param actor  who made it: the operator's name, or the AWS identity the command ran as
 * @param action what was changed, e.g. {@code credits add}, {@code limits set}, {@code reserve}
 * @param detail the change itself, before and after
 */
public record AuditEntry(Instant at, String actor, String action, String detail) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(detail, "detail");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("every change names who made it");
        }
    }
}
