package run.creativeai.gateway.adapters.providers.fal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.model.ProviderProtocol;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.local.services.LocalServices;
import run.creativeai.local.services.WebhookReceiver;

/** fal's Ed25519 callback signatures, checked on callbacks the simulated fal provider really sent. */
@ExtendWith(AwsServices.class)
class FalWebhookVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalServices services;
    private static WebhookReceiver.Delivery delivery;
    private static FalWebhookVerifier verifier;

    @BeforeAll
    static void receiveOneCallback(AwsServices.Running aws) throws Exception {
        services = aws.services();
        String provider = "f" + UUID.randomUUID().toString().substring(0, 8);
        services.providers().register(provider, "key", ProviderProtocol.FAL_QUEUE);
        services.providers().configure(provider, JSON.readTree("{\"latency_ms\":0}"));
        String path = "/fal-callback-" + provider;
        URI callback = URI.create(services.webhookReceiverUrl() + path);
        new FalQueueClient(ProviderHttp.standard(), services.providers().url(provider), () -> "key")
                .submit(new ProviderRequest("fal-ai/flux/schnell", JobKind.IMAGE, "fox", 1, Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(callback)));
        List<WebhookReceiver.Delivery> received = services.webhooks().await(d -> d.path().equals(path), 1,
                Duration.ofSeconds(10));
        assertThat(received).as("the provider's callback").hasSize(1);
        delivery = received.get(0);
        verifier = new FalWebhookVerifier(ProviderHttp.standard(),
                URI.create(services.providers().callbackVerification(provider).path("jwks_url").asText()));
    }

    @Test
    void aGenuineCallbackVerifies() {
        assertThat(verifier.verifies(delivery.headers(), delivery.body(), delivery.receivedAt())).isTrue();
        assertThat(delivery.bodyText()).contains("\"status\":\"OK\"");
    }

    @Test
    void aChangedBodyOrHeaderDoesNotVerify() {
        byte[] tampered = delivery.bodyText().replace("\"OK\"", "\"ERROR\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(verifier.verifies(delivery.headers(), tampered, delivery.receivedAt())).isFalse();
        Map<String, String> otherRequest = new HashMap<>(delivery.headers());
        otherRequest.put("x-fal-webhook-request-id", "someone-elses-request");
        assertThat(verifier.verifies(otherRequest, delivery.body(), delivery.receivedAt())).isFalse();
    }

    @Test
    void aReplayOutsideFiveMinutesDoesNotVerify() {
        Instant later = delivery.receivedAt().plus(Duration.ofMinutes(6));
        assertThat(verifier.verifies(delivery.headers(), delivery.body(), later)).isFalse();
    }

    @Test
    void aSignatureFromAnotherKeyDoesNotVerify() throws Exception {
        String other = "g" + UUID.randomUUID().toString().substring(0, 8);
        services.providers().register(other, "key", ProviderProtocol.FAL_QUEUE);
        FalWebhookVerifier otherKeys = new FalWebhookVerifier(ProviderHttp.standard(),
                URI.create(services.providers().callbackVerification(other).path("jwks_url").asText()));
        assertThat(otherKeys.verifies(delivery.headers(), delivery.body(), delivery.receivedAt())).isFalse();
    }
}
