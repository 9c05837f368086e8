package run.creativeai.gateway.concurrency;

import java.time.Duration;
import run.creativeai.gateway.model.JobKind;

/** How long one provider attempt of a kind may run: what slot leases are measured against. */
@FunctionalInterface
public interface AttemptTimeouts {
    Duration attemptTimeout(JobKind kind);
}
