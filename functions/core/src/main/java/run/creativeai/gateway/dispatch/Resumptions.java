package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.JobId;

/** Asks the dispatcher to take the next step of a job whose step was lost in a crash ({@link Dispatcher#resume}). */
@FunctionalInterface
public interface Resumptions {
    void resume(JobId job);
}
