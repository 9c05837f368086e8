package run.creativeai.client.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import run.creativeai.client.GenerationStatus;

/** Both signature schemes of a delivery, the timestamp window, rotation, and what must be refused. */
class WebhookVerifierTest {
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String NEXT = "whsec_" + Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    private static final Instant SIGNED = Instant.parse("2026-12-05T10:00:00Z");
    private static final byte[] BODY = ("{\"event_id\":\"evt_1\",\"type\":\"generation.succeeded\",\"timestamp\":"
            + "\"2026-12-05T09:59:58Z\",\"data\":{\"id\":\"gen_1\",\"status\":\"succeeded\",\"outputs\":[]}}")
            .getBytes(StandardCharsets.UTF_8);

    private static WebhookVerifier at(Instant now, String... secrets) {
        WebhookVerifier.Builder builder = WebhookVerifier.builder().clock(Clock.fixed(now, ZoneOffset.UTC));
        for (String secret : secrets) {
            builder.secret(secret);
        }
        return builder.build();
    }

    /** Signed as the gateway signs, computed here independently of the verifier. */
    private static Map<String, String> signed(byte[] body, String... secrets) throws Exception {
        StringBuilder standard = new StringBuilder();
        StringBuilder seed = new StringBuilder();
        for (String secret : secrets) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            mac.update(("evt_1." + SIGNED.getEpochSecond() + ".").getBytes(StandardCharsets.UTF_8));
            standard.append(standard.length() > 0 ? " " : "").append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal(body)));
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            seed.append(seed.length() > 0 ? ", " : "").append("sha256=").append(HexFormat.of().formatHex(mac.doFinal(body)));
        }
        return Map.of("Webhook-Id", "evt_1", "Webhook-Timestamp", Long.toString(SIGNED.getEpochSecond()),
                "Webhook-Signature", standard.toString(), "X-CreativeAI-Signature", seed.toString());
    }

    @Test
    void theStandardWebhooksReferenceVectorVerifies() {
        // From the Standard Webhooks specification's test vectors: the signature and the timestamp pass, and
        // only the body, which is not one of our events, is refused.
        String body = "{\"test\": 2432232314}";
        Map<String, String> headers = Map.of("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        WebhookVerifier verifier = at(Instant.ofEpochSecond(1614265330), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThatThrownBy(() -> verifier.verify(headers, body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookVerificationException.Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> verifier.verify(headers, body.replace('2', '3').getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(WebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookVerificationException.Reason.SIGNATURE_MISMATCH));
    }

    @Test
    void aDeliveryVerifiesInBothSchemesAndReadsAsItsEvent() throws Exception {
        Map<String, String> headers = signed(BODY, SECRET);
        WebhookEvent event = at(SIGNED.plusSeconds(3), SECRET).verify(headers, BODY);
        assertThat(event.id()).isEqualTo("evt_1");
        assertThat(event.type()).isEqualTo("generation.succeeded");
        assertThat(event.generation().orElseThrow().status()).isEqualTo(GenerationStatus.SUCCEEDED);
        assertThat(event.workflow()).isEmpty();
        assertThat(at(SIGNED, SECRET).verifySignatureHeader(headers, BODY).id()).isEqualTo("evt_1");
    }

    @Test
    void aWorkflowsEventReadsAsItsWorkflow() throws Exception {
        byte[] body = ("{\"event_id\":\"evt_2\",\"type\":\"workflow.failed\",\"timestamp\":\"2026-12-05T10:00:00Z\","
                + "\"data\":{\"id\":\"wf_1\",\"object\":\"workflow\",\"status\":\"failed\",\"cancel_after\":60,"
                + "\"error\":{\"code\":\"deadline_exceeded\",\"message\":\"the workflow did not finish\"},\"steps\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
        WebhookEvent event = at(SIGNED, SECRET).verify(signed(body, SECRET), body);
        assertThat(event.generation()).isEmpty();
        assertThat(event.workflow()).hasValueSatisfying(w -> {
            assertThat(w.status()).isEqualTo(run.creativeai.client.WorkflowStatus.FAILED);
            assertThat(w.failure().orElseThrow().code()).isEqualTo("deadline_exceeded");
            assertThat(w.cancelAfter()).contains(java.time.Duration.ofSeconds(60));
        });
    }

    @Test
    void aDeliverySignedOutsideTheToleranceIsRefusedAsAReplayEitherWay() throws Exception {
        Map<String, String> headers = signed(BODY, SECRET);
        assertThat(at(SIGNED.plus(Duration.ofMinutes(5)), SECRET).verify(headers, BODY).id()).isEqualTo("evt_1");
        for (Instant now : new Instant[] {SIGNED.plus(Duration.ofMinutes(5)).plusSeconds(1),
                SIGNED.minus(Duration.ofMinutes(5)).minusSeconds(1)}) {
            assertThatThrownBy(() -> at(now, SECRET).verify(headers, BODY))
                    .isInstanceOfSatisfying(WebhookVerificationException.class, e -> assertThat(e.reason())
                            .isEqualTo(WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE));
        }
    }

    @Test
    void aChangedBodyOrAnotherSecretFailsBothSchemes() throws Exception {
        Map<String, String> headers = signed(BODY, SECRET);
        byte[] changed = new String(BODY, StandardCharsets.UTF_8).replace("succeeded\",\"outputs", "failed\",\"outputs")
                .getBytes(StandardCharsets.UTF_8);
        WebhookVerifier verifier = at(SIGNED, SECRET);
        assertThatThrownBy(() -> verifier.verify(headers, changed)).isInstanceOfSatisfying(WebhookVerificationException.class,
                e -> assertThat(e.reason()).isEqualTo(WebhookVerificationException.Reason.SIGNATURE_MISMATCH));
        assertThatThrownBy(() -> verifier.verifySignatureHeader(headers, changed))
                .isInstanceOfSatisfying(WebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(WebhookVerificationException.Reason.SIGNATURE_MISMATCH));
        assertThatThrownBy(() -> at(SIGNED, NEXT).verifySignatureHeader(headers, BODY))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> at(SIGNED, NEXT).verify(headers, BODY)).isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringARotationEitherSecretVerifiesADeliverySignedWithBoth() throws Exception {
        Map<String, String> both = signed(BODY, SECRET, NEXT);
        assertThat(at(SIGNED, SECRET).verify(both, BODY).id()).isEqualTo("evt_1");
        assertThat(at(SIGNED, NEXT).verify(both, BODY).id()).isEqualTo("evt_1");
        assertThat(at(SIGNED, NEXT).verifySignatureHeader(both, BODY).id()).isEqualTo("evt_1");
        assertThat(at(SIGNED, NEXT, SECRET).verify(signed(BODY, SECRET), BODY).id())
                .as("a receiver holding both while it moves over").isEqualTo("evt_1");
    }

    @Test
    void aDeliveryWithoutItsSignatureIsRefusedNamingTheHeader() {
        assertThatThrownBy(() -> at(SIGNED, SECRET).verify(Map.of("webhook-id", "evt_1", "webhook-timestamp", "1"), BODY))
                .isInstanceOfSatisfying(WebhookVerificationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(WebhookVerificationException.Reason.MISSING_HEADER);
                    assertThat(e.getMessage()).contains("webhook-signature");
                });
        assertThatThrownBy(() -> WebhookVerifier.builder().build()).hasMessageContaining("at least one signing secret");
    }
}
