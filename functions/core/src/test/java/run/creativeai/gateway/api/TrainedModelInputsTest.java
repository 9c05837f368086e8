package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.TrainedWeights;
import run.creativeai.gateway.media.MediaLimits;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.Operation;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.InMemoryMedia;
import run.creativeai.gateway.testing.InMemoryTrainedModels;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.training.TrainedModel;
import run.creativeai.gateway.uploads.InputImages;

class TrainedModelInputsTest {
    private static final String MODEL = "ft_01hz0000000000000000000000";
    private final MutableClock clock = MutableClock.at("2026-12-05T09:00:00Z");
    private final InMemoryTrainedModels trained = new InMemoryTrainedModels();
    private final InMemoryMedia media = new InMemoryMedia();
    private final GenerationInputs inputs = new GenerationInputs(new InputImages(media, media, (url, max, timeout) -> {
        throw new AssertionError("nothing is fetched");
    }, MediaLimits.standard(Duration.ofDays(1)), IdSource.random(clock), clock), trained);

    private static GenerationRequest naming(String model) {
        return new GenerationRequest(JobKind.IMAGE, model, "a sks mug", 1, Optional.of("1024x1024"), Optional.empty(),
                Operation.TEXT_TO_IMAGE, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void aTenantsOwnModelRunsItsBaseModelWithItsWeightsAndIsShownByItsOwnName() {
        TenantId owner = new TenantId("owner");
        trained.record(new TrainedModel(MODEL, owner, "flux", "sks", "trained-models/gen_1/1/0.safetensors",
                new JobId("gen_01hz0000000000000000000000"), Instant.parse("2026-12-05T08:00:00Z")));
        Parsed<GenerationRequest> checked = inputs.check(owner, naming(MODEL));
        GenerationRequest request = ((Parsed.Valid<GenerationRequest>) checked).value();
        assertThat(request.model()).isEqualTo("flux");
        assertThat(request.weights()).contains(new TrainedWeights(MODEL, "trained-models/gen_1/1/0.safetensors", 1.0));
        assertThat(request.requestedModel()).isEqualTo(MODEL);
    }

    @Test
    void anotherTenantsModelIsA404LikeOneThatDoesNotExist() {
        trained.record(new TrainedModel(MODEL, new TenantId("owner"), "flux", "sks", "trained-models/k",
                new JobId("gen_01hz0000000000000000000000"), Instant.parse("2026-12-05T08:00:00Z")));
        ApiError foreign = ((Parsed.Invalid<GenerationRequest>) inputs.check(new TenantId("stranger"), naming(MODEL)))
                .error();
        ApiError unknown = ((Parsed.Invalid<GenerationRequest>) inputs.check(new TenantId("stranger"),
                naming("ft_01hz9999999999999999999999"))).error();
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.param()).contains("model");
        assertThat(foreign.code()).isEqualTo(unknown.code());
        assertThat(foreign.message().replace(MODEL, "X")).isEqualTo(unknown.message().replace("ft_01hz9999999999999999999999", "X"));
    }
}
