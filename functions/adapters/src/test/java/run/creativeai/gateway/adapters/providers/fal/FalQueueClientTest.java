package run.creativeai.gateway.adapters.providers.fal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ProviderProtocol;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.local.services.SimulatedProviders;

/** The production fal queue adapter against the simulated provider that speaks the same protocol. */
@ExtendWith(AwsServices.class)
class FalQueueClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "fal-ai/flux/schnell";
    private static SimulatedProviders providers;
    private static final ProviderHttp HTTP = ProviderHttp.standard();

    @BeforeAll
    static void setUp(AwsServices.Running aws) {
        providers = aws.services().providers();
    }

    private static String newProvider(String settings) throws Exception {
        String name = "p" + UUID.randomUUID().toString().substring(0, 8);
        providers.register(name, "key-" + name, ProviderProtocol.FAL_QUEUE);
        providers.configure(name, JSON.readTree(settings));
        return name;
    }

    private static FalQueueClient client(String provider, String key) {
        return new FalQueueClient(HTTP, providers.url(provider), () -> key);
    }

    private static ProviderRequest image(String prompt) {
        return new ProviderRequest(MODEL, JobKind.IMAGE, prompt, 2, Optional.of("1024x1024"), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    @Test
    void aSubmittedRequestIsFollowedToItsImages() throws Exception {
        String provider = newProvider("{\"latency_ms\":0}");
        FalQueueClient client = client(provider, "key-" + provider);
        SubmitOutcome submitted = client.submit(image("a fox"));
        assertThat(submitted).isInstanceOf(SubmitOutcome.Submitted.class);
        ProgressOutcome progress = client.progress(new ProviderJobRef(MODEL,
                ((SubmitOutcome.Submitted) submitted).providerJobId()));
        assertThat(progress).isInstanceOfSatisfying(ProgressOutcome.Completed.class,
                done -> assertThat(done.outputs()).hasSize(2).allSatisfy(o -> {
                    assertThat(o.contentType()).isEqualTo("image/png");
                    assertThat(o.width()).contains(1024);
                }));
    }

    @Test
    void aRunningRequestIsInProgress() throws Exception {
        String provider = newProvider("{\"latency_ms\":60000}");
        FalQueueClient client = client(provider, "key-" + provider);
        String id = ((SubmitOutcome.Submitted) client.submit(image("slow fox"))).providerJobId();
        assertThat(client.progress(new ProviderJobRef(MODEL, id))).isInstanceOf(ProgressOutcome.InProgress.class);
    }

    @Test
    void theProvidersRefusalOfTheCustomersInputIsNotAnOutage() throws Exception {
        String provider = newProvider("{}");
        SubmitOutcome outcome = client(provider, "key-" + provider).submit(image("something [reject]"));
        assertThat(outcome).isInstanceOfSatisfying(SubmitOutcome.InputRejected.class,
                r -> assertThat(r.message()).isEqualTo("prompt: prompt violates the content policy"));
    }

    @Test
    void fullDownAndGarbageProvidersAreUnavailableForTheRightReason() throws Exception {
        String full = newProvider("{\"capacity\":1,\"latency_ms\":60000}");
        client(full, "key-" + full).submit(image("first"));
        assertThat(client(full, "key-" + full).submit(image("second")))
                .isEqualTo(new SubmitOutcome.Unavailable(Unavailability.CAPACITY, "submit answered HTTP 429"));
        String down = newProvider("{\"mode\":\"down\"}");
        assertThat(client(down, "key-" + down).submit(image("x")))
                .isEqualTo(new SubmitOutcome.Unavailable(Unavailability.CAPACITY, "submit answered HTTP 503"));
        String garbage = newProvider("{\"mode\":\"garbage\"}");
        assertThat(client(garbage, "key-" + garbage).submit(image("x")))
                .isInstanceOfSatisfying(SubmitOutcome.Unavailable.class,
                        u -> assertThat(u.reason()).isEqualTo(Unavailability.MALFORMED_RESPONSE));
    }

    @Test
    void aWrongCredentialIsAnOutageOfThatProviderNotTheCustomersFault() throws Exception {
        String provider = newProvider("{}");
        assertThat(client(provider, "not-the-key").submit(image("x")))
                .isEqualTo(new SubmitOutcome.Unavailable(Unavailability.SERVER_ERROR, "submit answered HTTP 401"));
    }

    @Test
    void aJobTheProviderFailsMidWayIsReportedAsFailedForFailover() throws Exception {
        String provider = newProvider("{\"latency_ms\":0}");
        FalQueueClient client = client(provider, "key-" + provider);
        String id = ((SubmitOutcome.Submitted) client.submit(image("x"))).providerJobId();
        providers.configure(provider, JSON.readTree("{\"mode\":\"flaky\",\"failure_rate\":1.0}"));
        assertThat(client.progress(new ProviderJobRef(MODEL, id))).isInstanceOfSatisfying(ProgressOutcome.Failed.class,
                f -> assertThat(f.reason()).isEqualTo(Unavailability.SERVER_ERROR));
    }

    @Test
    void aProviderThatCannotBeAskedLeavesTheRequestsStateUnknownNotFailed() throws Exception {
        String provider = newProvider("{\"latency_ms\":60000}");
        FalQueueClient client = client(provider, "key-" + provider);
        String id = ((SubmitOutcome.Submitted) client.submit(image("x"))).providerJobId();
        providers.configure(provider, JSON.readTree("{\"mode\":\"down\"}"));
        assertThat(client.progress(new ProviderJobRef(MODEL, id))).isInstanceOf(ProgressOutcome.Unknown.class);
    }

    @Test
    void aQueuedRequestCanBeCanceledAndAFinishedOneNot() throws Exception {
        String provider = newProvider("{\"latency_ms\":60000}");
        FalQueueClient client = client(provider, "key-" + provider);
        ProviderJobRef running = new ProviderJobRef(MODEL, ((SubmitOutcome.Submitted) client.submit(image("x"))).providerJobId());
        assertThat(client.cancel(running)).isInstanceOf(CancelOutcome.Canceled.class);
        providers.configure(provider, JSON.readTree("{\"latency_ms\":0}"));
        ProviderJobRef done = new ProviderJobRef(MODEL, ((SubmitOutcome.Submitted) client.submit(image("y"))).providerJobId());
        assertThat(client.cancel(done)).isInstanceOf(CancelOutcome.AlreadyFinished.class);
    }

    @Test
    void theRequestBodyIsFalsImageInput() {
        var input = FalQueueClient.input(image("a fox"));
        assertThat(input.path("num_images").asInt()).isEqualTo(2);
        assertThat(input.path("image_size").path("width").asInt()).isEqualTo(1024);
        assertThat(FalQueueClient.appPath("fal-ai/kling-video/v2/master/text-to-video")).isEqualTo("fal-ai/kling-video");
    }

    @Test
    void inputImagesGoAsFalsImageUrlAndMaskUrlAndAnOperationWithoutPromptSendsNone() {
        var inpainting = FalQueueClient.input(new ProviderRequest("fal-ai/flux-pro/v1/fill",
                run.creativeai.gateway.model.Operation.INPAINTING, "a hat", 1, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.of(java.net.URI.create("https://s3.example.com/upl_1?sig")),
                java.util.Optional.of(java.net.URI.create("https://s3.example.com/upl_2?sig")), java.util.Optional.empty()));
        assertThat(inpainting.path("image_url").asText()).isEqualTo("https://s3.example.com/upl_1?sig");
        assertThat(inpainting.path("mask_url").asText()).isEqualTo("https://s3.example.com/upl_2?sig");
        var upscale = FalQueueClient.input(new ProviderRequest("fal-ai/esrgan", run.creativeai.gateway.model.Operation.UPSCALE,
                "", 1, java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.of(java.net.URI.create("https://s3.example.com/upl_1?sig")), java.util.Optional.empty(),
                java.util.Optional.empty()));
        assertThat(upscale.has("prompt")).isFalse();
        assertThat(upscale.has("mask_url")).isFalse();
    }
}
