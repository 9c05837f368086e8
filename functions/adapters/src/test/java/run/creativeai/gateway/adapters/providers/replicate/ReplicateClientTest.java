package run.creativeai.gateway.adapters.providers.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ProviderProtocol;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.local.services.SimulatedProviders;

/** The production Replicate adapter against the simulated provider that speaks the predictions API. */
@ExtendWith(AwsServices.class)
class ReplicateClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "bytedance/seedream-3";
    private static final ProviderHttp HTTP = ProviderHttp.standard();
    private static SimulatedProviders providers;

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        providers = aws.services().providers();
    }

    private static String newProvider(String settings) throws Exception {
        String name = "r" + UUID.randomUUID().toString().substring(0, 8);
        providers.register(name, "token-" + name, ProviderProtocol.REPLICATE_PREDICTIONS);
        providers.configure(name, JSON.readTree(settings));
        return name;
    }

    private static ReplicateClient client(String provider) {
        return new ReplicateClient(HTTP, providers.url(provider), () -> "token-" + provider);
    }

    private static ProviderRequest image(String prompt, int n) {
        return new ProviderRequest(MODEL, JobKind.IMAGE, prompt, n, Optional.of("1024x1024"), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private static String submitted(SubmitOutcome outcome) {
        assertThat(outcome).isInstanceOf(SubmitOutcome.Submitted.class);
        return ((SubmitOutcome.Submitted) outcome).providerJobId();
    }

    @Test
    void aCreatedPredictionIsFollowedToItsOutputs() throws Exception {
        String provider = newProvider("{\"latency_ms\":0}");
        String id = submitted(client(provider).submit(image("a fox", 3)));
        ProgressOutcome progress = client(provider).progress(new ProviderJobRef(MODEL, id));
        assertThat(progress).isInstanceOfSatisfying(ProgressOutcome.Completed.class,
                done -> assertThat(done.outputs()).hasSize(3).extracting(Output::contentType).containsOnly("image/png"));
    }

    @Test
    void aVideoPredictionEndsInOneMp4() throws Exception {
        String provider = newProvider("{\"latency_ms\":0}");
        ProviderRequest video = new ProviderRequest("bytedance/seedance-1-pro", JobKind.VIDEO, "waves", 1,
                Optional.empty(), Optional.of(5), Optional.empty(), Optional.empty());
        String id = submitted(client(provider).submit(video));
        assertThat(client(provider).progress(new ProviderJobRef("bytedance/seedance-1-pro", id)))
                .isInstanceOfSatisfying(ProgressOutcome.Completed.class,
                        done -> assertThat(done.outputs()).extracting(Output::contentType).containsExactly("video/mp4"));
    }

    @Test
    void aRunningPredictionIsInProgressAndCanBeCanceled() throws Exception {
        String provider = newProvider("{\"latency_ms\":60000}");
        ReplicateClient client = client(provider);
        ProviderJobRef ref = new ProviderJobRef(MODEL, submitted(client.submit(image("slow", 1))));
        assertThat(client.progress(ref)).isInstanceOf(ProgressOutcome.InProgress.class);
        assertThat(client.cancel(ref)).isInstanceOf(CancelOutcome.Canceled.class);
        assertThat(client.progress(ref)).isInstanceOf(ProgressOutcome.Failed.class);
    }

    @Test
    void cancellingAFinishedPredictionSaysItWasTooLate() throws Exception {
        String provider = newProvider("{\"latency_ms\":0}");
        ProviderJobRef ref = new ProviderJobRef(MODEL, submitted(client(provider).submit(image("quick", 1))));
        client(provider).progress(ref);
        assertThat(client(provider).cancel(ref)).isInstanceOf(CancelOutcome.AlreadyFinished.class);
    }

    @Test
    void invalidInputIsTheCustomersAndCarriesTheProvidersReason() throws Exception {
        String provider = newProvider("{}");
        assertThat(client(provider).submit(image("x [reject]", 1))).isEqualTo(
                new SubmitOutcome.InputRejected("- input.prompt: prompt violates the content policy"));
    }

    @Test
    void throttlingOutagesAndGarbageAreUnavailableForTheRightReason() throws Exception {
        String full = newProvider("{\"capacity\":1,\"latency_ms\":60000}");
        client(full).submit(image("first", 1));
        assertThat(client(full).submit(image("second", 1)))
                .isEqualTo(new SubmitOutcome.Unavailable(Unavailability.CAPACITY, "create answered HTTP 429"));
        String down = newProvider("{\"mode\":\"down\"}");
        assertThat(client(down).submit(image("x", 1)))
                .isEqualTo(new SubmitOutcome.Unavailable(Unavailability.CAPACITY, "create answered HTTP 503"));
        String garbage = newProvider("{\"mode\":\"garbage\"}");
        assertThat(client(garbage).submit(image("x", 1))).isInstanceOfSatisfying(SubmitOutcome.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo(Unavailability.MALFORMED_RESPONSE));
    }

    @Test
    void aHangingProviderTimesOutInsteadOfHoldingTheDispatcher() throws Exception {
        String slow = newProvider("{\"mode\":\"slow\",\"latency_ms\":8000}");
        assertThat(client(slow).submit(image("x", 1))).isInstanceOfSatisfying(SubmitOutcome.Unavailable.class,
                u -> assertThat(u.reason()).isEqualTo(Unavailability.TIMEOUT));
    }

    @Test
    void aPredictionThatFailsAtTheProviderIsFailedForFailover() throws Exception {
        String provider = newProvider("{\"latency_ms\":0}");
        ProviderJobRef ref = new ProviderJobRef(MODEL, submitted(client(provider).submit(image("x", 1))));
        providers.configure(provider, JSON.readTree("{\"mode\":\"flaky\",\"failure_rate\":1.0}"));
        assertThat(client(provider).progress(ref)).isInstanceOfSatisfying(ProgressOutcome.Failed.class,
                f -> assertThat(f.detail()).contains("crashed"));
    }

    @Test
    void theRequestBodyIsReplicatesInput() {
        var input = ReplicateClient.input(image("a fox", 2));
        assertThat(input.path("num_outputs").asInt()).isEqualTo(2);
        assertThat(input.path("width").asInt()).isEqualTo(1024);
        assertThat(ReplicateClient.outputs(JSON.valueToTree(List.of("https://x/a.webp", "https://x/b.mp4"))))
                .extracting(Output::contentType).containsExactly("image/webp", "video/mp4");
        assertThat(ReplicateClient.outputs(JSON.valueToTree("https://x/one.jpg")))
                .extracting(Output::contentType).containsExactly("image/jpeg");
    }


    @Test
    void inputImagesGoAsReplicatesImageAndMaskInputs() {
        var inpainting = ReplicateClient.input(new ProviderRequest("stability-ai/sdxl",
                run.creativeai.gateway.model.Operation.INPAINTING, "a hat", 1, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.of(java.net.URI.create("https://s3.example.com/upl_1?sig")),
                java.util.Optional.of(java.net.URI.create("https://s3.example.com/upl_2?sig")), java.util.Optional.empty()));
        assertThat(inpainting.path("image").asText()).isEqualTo("https://s3.example.com/upl_1?sig");
        assertThat(inpainting.path("mask").asText()).isEqualTo("https://s3.example.com/upl_2?sig");
        assertThat(inpainting.path("prompt").asText()).isEqualTo("a hat");
    }
}
