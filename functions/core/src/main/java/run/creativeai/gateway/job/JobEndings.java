package run.creativeai.gateway.job;

import run.creativeai.gateway.job.Job;

/** Told once a job is terminal and stored, so its customer hears about it. */
@FunctionalInterface
public interface JobEndings {
    void ended(Job job);
}
