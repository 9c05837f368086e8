package run.creativeai.gateway.testing;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.Settlement;

/**
 * The job store's contract in memory: creates refuse duplicates, updates are conditional on the
 * version, and it remembers which jobs were settled.
 */
public final class InMemoryJobStore implements JobStore {
    private final Map<JobId, Job> jobs = new ConcurrentHashMap<>();
    private final Set<JobId> settled = ConcurrentHashMap.newKeySet();

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
        if (Settlement.settledByWrite(next)) {
            settled.add(next.id());
        }
        return true;
    }

    @Override
    public synchronized boolean settled(Job job) {
        Job current = jobs.get(job.id());
        if (current == null || current.version() != job.version()) {
            return false;
        }
        settled.add(job.id());
        return true;
    }

    /** Whether the job's end was carried out, by a write that settled it or by {@link #settled}. */
    public boolean isSettled(JobId id) {
        return settled.contains(id);
    }
}
