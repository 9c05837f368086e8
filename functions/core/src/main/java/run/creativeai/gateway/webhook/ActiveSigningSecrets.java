package run.creativeai.gateway.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The secrets a tenant's events are signed with right now: its current secret, and while a rotation
 * is in progress also the next one, so that a receiver holding either verifies every event.
 */
public record ActiveSigningSecrets(SigningSecret current, Optional<SigningSecret> next) {

    public ActiveSigningSecrets {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
    }

    public static ActiveSigningSecrets of(SigningSecret current) {
        return new ActiveSigningSecrets(current, Optional.empty());
    }

    public boolean rotating() {
        return next.isPresent();
    }

    /** Every secret that signs, the current one first. */
    public List<SigningSecret> all() {
        List<SigningSecret> all = new ArrayList<>(2);
        all.add(current);
        next.ifPresent(all::add);
        return List.copyOf(all);
    }
}
