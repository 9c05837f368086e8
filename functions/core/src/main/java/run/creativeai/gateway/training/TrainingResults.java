package run.creativeai.gateway.training;

import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobEndings;

/**
 * Records the model a training made before its end is announced: a customer told the training
 * succeeded can name its model at once. Told again (a redelivery, the reconciler), it records the
 * same model again, which changes nothing.
 */
public final class TrainingResults implements JobEndings {
    private final TrainedModels models;
    private final JobEndings next;

    public TrainingResults(TrainedModels models, JobEndings next) {
        this.models = models;
        this.next = next;
    }

    @Override
    public void ended(Job job) {
        TrainedModel.of(job).ifPresent(models::record);
        next.ended(job);
    }
}
