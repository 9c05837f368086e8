package run.creativeai.gateway.adapters.providers.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderRequest;

/**
 * The bodies of Replicate's trainings API, field for field as Replicate documents them: create at
 * {@code /v1/models/{owner}/{name}/versions/{version}/trainings} with {@code destination} and
 * {@code input}; a training object whose {@code output} is {@code {"version", "weights"}}; and a
 * LoRA model's {@code lora_weights} input.
 */
class ReplicateTrainingWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRAINER =
            "ostris/flux-dev-lora-trainer:4ffd32160efd92e956d39c5338a9b8fbafca58e03f791f6d8011f3e20e8ea6fa";

    private static ProviderRequest training() {
        return ProviderRequest.training(TRAINER, new ProviderRequest.Training(
                URI.create("https://uploads.example.com/uploads/upl_1?sig"), "sksmug", 1000), Optional.empty());
    }

    @Test
    void aTrainingIsCreatedAtItsTrainerVersionsTrainingsWithItsImagesZipTriggerWordAndSteps() throws Exception {
        assertThat(ReplicateClient.createPath(training())).isEqualTo("v1/models/ostris/flux-dev-lora-trainer/versions/"
                + "4ffd32160efd92e956d39c5338a9b8fbafca58e03f791f6d8011f3e20e8ea6fa/trainings");
        assertThat(ReplicateClient.input(training())).isEqualTo(JSON.readTree("""
                {"input_images": "https://uploads.example.com/uploads/upl_1?sig", "trigger_word": "sksmug",
                 "steps": 1000}"""));
    }

    @Test
    void aTrainerNamedWithoutItsVersionIsAConfigurationMistakeSaidLoudly() {
        assertThatThrownBy(() -> ReplicateClient.createPath(ProviderRequest.training("ostris/flux-dev-lora-trainer",
                new ProviderRequest.Training(URI.create("https://u.example.com/a.zip"), "tok", 100), Optional.empty())))
                .hasMessageContaining("owner/name:version");
    }

    @Test
    void aSucceededTrainingObjectYieldsItsWeightsAndARunningOneIsInProgress() throws Exception {
        String succeeded = """
                {"id": "zz4ibbonubfz7carwiefibzgga", "model": "ostris/flux-dev-lora-trainer",
                 "version": "4ffd32160efd92e956d39c5338a9b8fbafca58e03f791f6d8011f3e20e8ea6fa",
                 "input": {"input_images": "https://example.com/my-input-images.zip"}, "logs": "",
                 "error": null, "status": "succeeded", "created_at": "2023-09-08T16:32:57.018467Z",
                 "started_at": "2023-09-08T16:32:57.112647Z", "completed_at": "2023-09-08T16:41:19.826523Z",
                 "output": {"version": "creativeai/tenant-loras:8ddbbc3d61eb59a0e0ab7a7e55e1b0d3b6bda8e0a2a1c3c1e7c5a8f1c0d5e8a2",
                            "weights": "https://replicate.delivery/pbxt/abc/trained_model.tar"},
                 "urls": {"get": "https://api.replicate.com/v1/trainings/zz4ibbonubfz7carwiefibzgga",
                          "cancel": "https://api.replicate.com/v1/trainings/zz4ibbonubfz7carwiefibzgga/cancel"}}""";
        assertThat(ReplicateClient.outcome(JSON.readTree(succeeded))).isEqualTo(new ProgressOutcome.Completed(
                java.util.List.of(Output.of("https://replicate.delivery/pbxt/abc/trained_model.tar", "application/x-tar"))));
        assertThat(ReplicateClient.outcome(JSON.readTree(succeeded.replace("\"succeeded\"", "\"processing\""))))
                .isInstanceOf(ProgressOutcome.InProgress.class);
    }

    @Test
    void aGenerationWithTrainedWeightsPassesThemAsLoraWeightsWithTheirScale() throws Exception {
        ProviderRequest generation = new ProviderRequest("black-forest-labs/flux-dev-lora", Operation.TEXT_TO_IMAGE,
                "a sksmug", 1, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(new ProviderRequest.Lora(
                        URI.create("https://outputs.example.com/trained-models/gen_1/1/0.tar?sig"), 0.8)));
        assertThat(ReplicateClient.input(generation)).isEqualTo(JSON.readTree("""
                {"lora_weights": "https://outputs.example.com/trained-models/gen_1/1/0.tar?sig", "lora_scale": 0.8,
                 "prompt": "a sksmug", "num_outputs": 1}"""));
    }
}
