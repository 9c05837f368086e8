package run.creativeai.gateway.dispatch;

import run.creativeai.gateway.job.Job;

/** The priority queues: a job is queued on its tier's queue and started by the dispatcher from there. */
public interface JobQueue {
    void enqueue(Job job);
}
