package run.creativeai.gateway.adapters.providers.fal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.provider.ProviderRequest;

/**
 * The bodies fal's LoRA trainer and LoRA endpoint take and give, field for field as fal documents
 * them: {@code fal-ai/flux-lora-fast-training} takes {@code images_data_url}, {@code trigger_word},
 * {@code steps} and returns {@code diffusers_lora_file}; {@code fal-ai/flux-lora} takes
 * {@code loras: [{path, scale}]}.
 */
class FalTrainingWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTrainingSendsTheImagesArchiveTriggerWordAndStepsAndNothingElse() throws Exception {
        ProviderRequest training = ProviderRequest.training("fal-ai/flux-lora-fast-training", new ProviderRequest.Training(
                URI.create("https://uploads.example.com/uploads/upl_1?sig"), "sksmug", 1000), Optional.empty());
        assertThat(FalQueueClient.input(training)).isEqualTo(JSON.readTree("""
                {"images_data_url": "https://uploads.example.com/uploads/upl_1?sig",
                 "trigger_word": "sksmug", "steps": 1000}"""));
    }

    @Test
    void aTrainersResultYieldsItsLoraWeightsFileAndNotItsConfig() throws Exception {
        JsonNode result = JSON.readTree("""
                {"diffusers_lora_file": {"url": "https://v3.fal.media/files/tiger/pytorch_lora_weights.safetensors",
                   "content_type": "application/octet-stream", "file_name": "pytorch_lora_weights.safetensors",
                   "file_size": 89745224},
                 "config_file": {"url": "https://v3.fal.media/files/tiger/config.json",
                   "content_type": "application/octet-stream", "file_name": "config.json", "file_size": 1024}}""");
        assertThat(FalQueueClient.outputs(result)).containsExactly(Output.of(
                "https://v3.fal.media/files/tiger/pytorch_lora_weights.safetensors", "application/octet-stream"));
    }

    @Test
    void aGenerationWithTrainedWeightsNamesThemInLorasWithTheirScale() throws Exception {
        ProviderRequest generation = new ProviderRequest("fal-ai/flux-lora", Operation.TEXT_TO_IMAGE, "a sksmug", 1,
                Optional.of("1024x1024"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of(new ProviderRequest.Lora(
                        URI.create("https://outputs.example.com/trained-models/gen_1/1/0.safetensors?sig"), 1.0)));
        assertThat(FalQueueClient.input(generation)).isEqualTo(JSON.readTree("""
                {"loras": [{"path": "https://outputs.example.com/trained-models/gen_1/1/0.safetensors?sig", "scale": 1.0}],
                 "prompt": "a sksmug", "num_images": 1, "image_size": {"width": 1024, "height": 1024}}"""));
    }
}
