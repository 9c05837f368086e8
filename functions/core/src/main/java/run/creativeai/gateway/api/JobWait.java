package run.creativeai.gateway.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStore;

/**
 * Waits, for a customer who sent {@code Prefer: wait=N}, until a job ends or the wait is over. The
 * job is read again after 250 ms, 500 ms, then every second: an image on a fast provider is seen
 * within a quarter of a second of its end, and a 25 s wait costs at most 27 single-item reads.
 * (Nothing cheaper tells a function that a job ended: the end is written by another function.)
 */
public final class JobWait {
    static final Duration FIRST_LOOK = Duration.ofMillis(250);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

    /** Lets time pass: a sleep in a function, the test clock moving on in tests. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final JobStore jobs;
    private final Clock clock;
    private final Pause pause;

    public JobWait(JobStore jobs, Clock clock, Pause pause) {
        this.jobs = jobs;
        this.clock = clock;
        this.pause = pause;
    }

    /** What its clock says now: the moment a job it waited for is shown as of. */
    public java.time.Instant now() {
        return clock.instant();
    }

    public static JobWait sleeping(JobStore jobs, Clock clock) {
        return new JobWait(jobs, clock, d -> Thread.sleep(d.toMillis()));
    }

    /** The job once it ended, or as it last was when {@code deadline} came first. */
    public Job until(Job job, Instant deadline) {
        Job current = job;
        Duration next = FIRST_LOOK;
        while (!current.status().isTerminal()) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                break;
            }
            try {
                pause.pause(next.compareTo(left) < 0 ? next : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = jobs.find(job.id()).orElse(current);
            next = next.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? next.multipliedBy(2) : LONGEST_PAUSE;
        }
        return current;
    }
}
