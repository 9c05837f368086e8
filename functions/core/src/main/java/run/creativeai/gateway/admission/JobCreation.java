package run.creativeai.gateway.admission;

import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.limits.Creation;

/** A job an admission creates: in the limiter's own write where it can, else in {@code jobs} right after. */
public record JobCreation(Job job, JobStore jobs) implements Creation {
    @Override
    public boolean createAlone() {
        return jobs.create(job);
    }

    @Override
    public String toString() {
        return "job " + job.id();
    }
}
