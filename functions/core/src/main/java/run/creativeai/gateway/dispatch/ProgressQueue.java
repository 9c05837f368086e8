package run.creativeai.gateway.dispatch;

import java.time.Duration;

/** Delayed messages that bring a running job back to the dispatcher, so no function waits on a provider. */
public interface ProgressQueue {
    void schedule(ProgressCheck check, Duration delay);
}
