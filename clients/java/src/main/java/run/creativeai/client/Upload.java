package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An uploaded input image: name {@link #id()} as a generation's {@code image} or {@code mask} until
 * {@link #usableUntil()}. {@code status} is {@code pending} until its bytes arrive, then {@code uploaded}.
 */
public record Upload(String id, String status, String contentType, long sizeBytes, OptionalLong uploadedBytes,
        Optional<Instant> usableUntil, JsonNode json) {

    static Upload of(JsonNode node) {
        return new Upload(Json.text(node, "id", ""), Json.text(node, "status", ""), Json.text(node, "content_type", ""),
                node.path("size_bytes").asLong(), Json.number(node, "uploaded_bytes"), Json.instant(node, "usable_until"),
                node);
    }

    public boolean isUploaded() {
        return status.equals("uploaded");
    }
}
