package run.creativeai.gateway.dispatch;

import java.time.Duration;
import run.creativeai.gateway.job.JobId;

/**
 * Brings a job with a {@code Cancel-After} deadline back to the dispatcher once the deadline has
 * passed, whatever else happens to the job: a delayed message on the dispatcher's own queue. A queue
 * delays a message by at most 15 minutes, so a message that arrives early is sent again for the time
 * left ({@link Dispatcher#deadline}).
 */
@FunctionalInterface
public interface DeadlineTimer {
    void schedule(JobId job, Duration delay);
}
