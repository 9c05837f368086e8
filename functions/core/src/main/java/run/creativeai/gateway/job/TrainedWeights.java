package run.creativeai.gateway.job;

import java.util.Objects;

/**
 * The LoRA weights a generation runs its base model with, when it names a tenant's own trained
 * model: the model's id and where its weights were copied in the outputs bucket (a provider's URL
 * expires; the bucket's copy does not), signed for the provider at each attempt.
 *
 * @param model      the trained model's public id, {@code ft_...}
 * @param weightsKey the weights file's key in the outputs bucket
 * @param scale      how strongly the weights apply, as both protocols take it
 */
public record TrainedWeights(String model, String weightsKey, double scale) {
    public static final double DEFAULT_SCALE = 1.0;

    public TrainedWeights {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weightsKey, "weightsKey");
    }
}
