package run.creativeai.gateway.training;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.TrainedWeights;
import run.creativeai.gateway.job.TrainingInput;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.tenant.TenantId;

/**
 * A tenant's own model, the result of a LoRA training that succeeded: its base model and the
 * trained weights, copied into the outputs bucket like any output. Only its tenant may name it.
 *
 * @param id          {@code ft_...}, derived from the training's job id
 * @param weightsKey  the weights file's key in the outputs bucket
 * @param trainedBy   the training job
 */
public record TrainedModel(String id, TenantId tenant, String baseModel, String triggerWord, String weightsKey,
        JobId trainedBy, Instant createdAt) {

    public TrainedModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(triggerWord, "triggerWord");
        Objects.requireNonNull(weightsKey, "weightsKey");
        Objects.requireNonNull(trainedBy, "trainedBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The model a succeeded training made, once its weights are in the bucket; empty for any other job. */
    public static Optional<TrainedModel> of(Job job) {
        if (job.request().kind() != JobKind.TRAINING || job.status() != JobStatus.SUCCEEDED) {
            return Optional.empty();
        }
        TrainingInput training = job.request().training().orElseThrow();
        return job.outputs().stream().filter(StoredOutput.class::isInstance).map(StoredOutput.class::cast).findFirst()
                .map(weights -> new TrainedModel(TrainingInput.modelIdOf(job.id()), job.tenantId(), training.baseModel(),
                        training.triggerWord(), weights.key(), job.id(),
                        job.timings().finishedAt().orElse(weights.storedAt())));
    }

    /** The weights a generation naming this model runs its base model with. */
    public TrainedWeights weights() {
        return new TrainedWeights(id, weightsKey, TrainedWeights.DEFAULT_SCALE);
    }

    /** Whether a request's model names a trained model rather than one of the catalogue. */
    public static boolean isTrainedModelId(String model) {
        return model.startsWith(TrainingInput.MODEL_PREFIX);
    }
}
