package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One result of a generation: a download URL of the gateway's copy (presigned, no credentials needed,
 * signed anew on every read of the job), until when it works and until when the copy is kept, and what
 * the copy measured, so {@link CreativeAiClient#download(Output)} can check the bytes.
 */
public record Output(int index, URI url, Optional<Instant> expiresAt, Optional<Instant> retainedUntil,
        OptionalLong sizeBytes, Optional<String> contentType, Optional<String> sha256, JsonNode json) {

    /** The {@code outputs} of a job or of a workflow's step, in order. */
    static List<Output> all(JsonNode owner) {
        List<Output> outputs = new ArrayList<>();
        for (JsonNode output : owner.path("outputs")) {
            outputs.add(of(outputs.size(), output));
        }
        return List.copyOf(outputs);
    }

    static Output of(int index, JsonNode node) {
        return new Output(index, URI.create(Json.text(node, "url", "")), Json.instant(node, "expires_at"),
                Json.instant(node, "retained_until"), Json.number(node, "size_bytes"), Json.text(node, "content_type"),
                Json.text(node, "sha256"), node);
    }
}
