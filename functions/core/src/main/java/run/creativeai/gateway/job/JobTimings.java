package run.creativeai.gateway.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a job was admitted, first handed to a provider, and ended. */
public record JobTimings(Instant createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt) {

    public Optional<Duration> queueWait() {
        return startedAt.map(s -> Duration.between(createdAt, s));
    }

    public JobTimings started(Instant at) {
        return startedAt.isPresent() ? this : new JobTimings(createdAt, Optional.of(at), finishedAt);
    }

    public JobTimings finished(Instant at) {
        return new JobTimings(createdAt, startedAt, Optional.of(at));
    }
}
