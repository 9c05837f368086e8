package run.creativeai.gateway.testing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;

/** The job store's contract in memory: creates refuse duplicates, updates are conditional on the version. */
public final class InMemoryJobStore implements JobStore {
    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();

    @Override
    public boolean create(Job job) {
        return jobs.putIfAbsent(job.id(), job) == null;
    }

    @Override
    public Optional<Job> find(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized boolean update(Job next) {
        Job current = jobs.get(next.id());
        if (current == null || current.version() != next.version() - 1) {
            return false;
        }
        jobs.put(next.id(), next);
        return true;
    }
}
