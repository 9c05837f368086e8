package run.creativeai.gateway.status;

import java.util.Optional;

/** Keeps the status monitor's last {@link Readings}. */
public interface ReadingsStore {
    void save(Readings readings);

    Optional<Readings> latest();
}
