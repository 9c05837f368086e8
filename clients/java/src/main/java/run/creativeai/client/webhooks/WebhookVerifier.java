package run.creativeai.client.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks that a webhook delivery comes from the gateway, in either of the two schemes every delivery
 * is signed with, over the raw body exactly as received (verify before parsing):
 * <ul>
 * <li>{@link #verify}: <a href="https://www.standardwebhooks.com/">Standard Webhooks</a>,
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. The id and time are signed,
 * so a delivery signed further than the tolerance from this clock is refused: a captured delivery cannot
 * be replayed later. Use this one.</li>
 * <li>{@link #verifySignatureHeader}: {@code X-CreativeAI-Signature: sha256=<hex HMAC-SHA256 of the body>}
 * (the header's name is a deployment parameter). It signs the body alone, so no time is covered and no
 * tolerance can apply; a receiver using it stops replays by remembering the {@code event_id}s it has
 * handled (the body's, which the signature covers).</li>
 * </ul>
 * During a secret rotation the gateway signs with both secrets (several signatures in the header); the
 * verifier holds one or more secrets and accepts a delivery when any signature matches any of them.
 * Every comparison takes the same time whatever bytes differ.
 */
public final class WebhookVerifier {
    /** What the gateway's own callback check and the Standard Webhooks libraries allow. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);
    public static final String DEFAULT_SIGNATURE_HEADER = "X-CreativeAI-Signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<byte[]> keys;
    private final Duration tolerance;
    private final Clock clock;
    private final String signatureHeader;

    private WebhookVerifier(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.tolerance = b.tolerance;
        this.clock = b.clock;
        this.signatureHeader = b.signatureHeader;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A verifier of one secret with the defaults. */
    public static WebhookVerifier of(String secret) {
        return builder().secret(secret).build();
    }

    /** The Standard Webhooks check, headers by name in any case. */
    public WebhookEvent verify(Map<String, String> headers, byte[] body) {
        return verify(caseInsensitive(headers), body);
    }

    /**
     * The Standard Webhooks check.
     *
     * @param header a header's value by name, or null when absent (e.g. {@code request::getHeader})
     * @throws WebhookVerificationException when the delivery must not be trusted
     */
    public WebhookEvent verify(Function<String, String> header, byte[] body) {
        String id = required(header, "webhook-id");
        String timestamp = required(header, "webhook-timestamp");
        String signatures = required(header, "webhook-signature");
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE,
                    "webhook-timestamp is not unix seconds");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.TIMESTAMP_OUT_OF_TOLERANCE,
                    "webhook-timestamp is " + skew.toSeconds() + " s from this clock, more than the " + tolerance.toSeconds()
                            + " s allowed: a late or replayed delivery");
        }
        byte[] prefix = (id + "." + seconds + ".").getBytes(StandardCharsets.UTF_8);
        List<byte[]> expected = new ArrayList<>();
        for (byte[] key : keys) {
            expected.add(("v1," + Base64.getEncoder().encodeToString(hmac(key, prefix, body))).getBytes(StandardCharsets.US_ASCII));
        }
        if (!anyMatches(signatures.trim().split(" +"), expected)) {
            throw mismatch("webhook-signature");
        }
        return event(body);
    }

    /** The {@code X-CreativeAI-Signature} check, headers by name in any case. */
    public WebhookEvent verifySignatureHeader(Map<String, String> headers, byte[] body) {
        return verifySignatureHeader(caseInsensitive(headers), body);
    }

    /**
     * The body-only check of the signature header ({@code sha256=<hex>}, several separated by commas).
     * No timestamp is signed in this scheme: deduplicate on {@link WebhookEvent#id()}.
     */
    public WebhookEvent verifySignatureHeader(Function<String, String> header, byte[] body) {
        String signatures = required(header, signatureHeader);
        List<byte[]> expected = new ArrayList<>();
        for (byte[] key : keys) {
            expected.add(("sha256=" + HexFormat.of().formatHex(hmac(key, new byte[0], body))).getBytes(StandardCharsets.US_ASCII));
        }
        String[] candidates = signatures.split(",");
        for (int i = 0; i < candidates.length; i++) {
            candidates[i] = candidates[i].trim().toLowerCase(Locale.ROOT);
        }
        if (!anyMatches(candidates, expected)) {
            throw mismatch(signatureHeader);
        }
        return event(body);
    }

    /** Every candidate against every expected signature, without stopping early on a match or a difference. */
    private static boolean anyMatches(String[] candidates, List<byte[]> expected) {
        boolean matched = false;
        for (String candidate : candidates) {
            byte[] bytes = candidate.getBytes(StandardCharsets.US_ASCII);
            for (byte[] signature : expected) {
                matched |= MessageDigest.isEqual(bytes, signature);
            }
        }
        return matched;
    }

    private static WebhookEvent event(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.path("event_id").isTextual() || !node.path("type").isTextual()) {
                throw new WebhookVerificationException(WebhookVerificationException.Reason.MALFORMED_BODY,
                        "the body is not a webhook event");
            }
            return new WebhookEvent(node.get("event_id").asText(), node.get("type").asText(),
                    Instant.parse(node.path("timestamp").asText()), node.path("data"));
        } catch (IOException | DateTimeParseException e) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.MALFORMED_BODY,
                    "the body is not a webhook event: " + e.getMessage());
        }
    }

    private static WebhookVerificationException mismatch(String header) {
        return new WebhookVerificationException(WebhookVerificationException.Reason.SIGNATURE_MISMATCH,
                "no signature in " + header + " matches a secret held");
    }

    private static String required(Function<String, String> header, String name) {
        String value = header.apply(name);
        if (value == null || value.isBlank()) {
            throw new WebhookVerificationException(WebhookVerificationException.Reason.MISSING_HEADER, name + " is missing");
        }
        return value;
    }

    private static Function<String, String> caseInsensitive(Map<String, String> headers) {
        return name -> headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** The secrets, the tolerance and the clock; at least one secret. */
    public static final class Builder {
        private final List<byte[]> keys = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();
        private String signatureHeader = DEFAULT_SIGNATURE_HEADER;

        private Builder() {
        }

        /** A signing secret as the tenant command prints it ({@code whsec_<base64>}; the bare base64 too). Add two during a rotation. */
        public Builder secret(String secret) {
            Objects.requireNonNull(secret, "secret");
            String base64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
            try {
                keys.add(Base64.getDecoder().decode(base64));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a signing secret is whsec_ and base64", e);
            }
            return this;
        }

        public Builder tolerance(Duration tolerance) {
            if (tolerance.isNegative()) {
                throw new IllegalArgumentException("tolerance is not negative");
            }
            this.tolerance = tolerance;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The deployment's {@code WebhookSignatureHeader}, when it is not {@value WebhookVerifier#DEFAULT_SIGNATURE_HEADER}. */
        public Builder signatureHeader(String name) {
            this.signatureHeader = Objects.requireNonNull(name, "signatureHeader");
            return this;
        }

        public WebhookVerifier build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("a verifier needs at least one signing secret");
            }
            return new WebhookVerifier(this);
        }
    }
}
