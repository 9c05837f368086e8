package run.creativeai.gateway.status;

import java.time.Instant;
import java.util.Optional;

/**
 * The published status document, the one thing {@code GET /v1/status} reads. Whoever rebuilds it
 * first takes a generation number, then reads the state, then publishes unless a later generation
 * already did: any change written before a generation was taken is in every document published
 * from that generation on, so racing rebuilds never leave an older view in place.
 */
public interface StatusPublication {
    long nextGeneration();

    /** False when a later generation has been published already (nothing is written). */
    boolean publish(long generation, Instant at, String document);

    Optional<String> current();
}
