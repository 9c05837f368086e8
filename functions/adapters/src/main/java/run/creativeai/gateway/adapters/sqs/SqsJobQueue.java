package run.creativeai.gateway.adapters.sqs;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.dispatch.JobQueue;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.plan.Tier;

/** The priority queues: one SQS queue per tier. */
public final class SqsJobQueue implements JobQueue {
    private final Map<Tier, SqsQueue> queues;

    public SqsJobQueue(Map<Tier, SqsQueue> queues) {
        if (!queues.keySet().containsAll(java.util.EnumSet.allOf(Tier.class))) {
            throw new IllegalArgumentException("every tier needs a queue");
        }
        this.queues = new EnumMap<>(queues);
    }

    @Override
    public void enqueue(Job job, Duration delay) {
        queues.get(job.tier()).send(DispatchMessages.start(job.id()), delay);
    }

    /** Puts a status probe sent at {@code sentAt} on a tier's queue, behind the jobs waiting there. */
    public void probe(Tier tier, java.time.Instant sentAt) {
        queues.get(tier).send(DispatchMessages.probe(tier, sentAt), Duration.ZERO);
    }

    /** Jobs waiting in a tier's queue, visible or delayed, as SQS counts them. */
    public long pending(run.creativeai.gateway.plan.Tier tier) {
        return queues.get(tier).pending();
    }
}
