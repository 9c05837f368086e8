package run.creativeai.gateway.dispatch;

import java.time.Duration;
import run.creativeai.gateway.job.Job;

/** The priority queues: a job is queued on its tier's queue and started by the dispatcher from there. */
public interface JobQueue {
    default void enqueue(Job job) {
        enqueue(job, Duration.ZERO);
    }

    /** Queues the job to become visible after {@code delay}: how a job that cannot start yet waits, without a function waiting. */
    void enqueue(Job job, Duration delay);
}
