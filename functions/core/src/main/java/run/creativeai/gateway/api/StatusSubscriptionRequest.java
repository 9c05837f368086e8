package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Iterator;
import java.util.Optional;

/**
 * The body of {@code POST /v1/status/subscriptions}: {@code {"url":"https://..."}} and nothing else.
 * The URL is checked exactly as a job's {@code webhook_url} is, with the same 400s.
 */
public final class StatusSubscriptionRequest {
    private StatusSubscriptionRequest() {
    }

    public static Parsed<URI> parse(byte[] body, GenerationRequestParser urls) {
        Parsed<JsonNode> json = GenerationRequestParser.object(body);
        if (json instanceof Parsed.Invalid<JsonNode> invalid) {
            return Parsed.invalid(invalid.error());
        }
        JsonNode node = ((Parsed.Valid<JsonNode>) json).value();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("url")) {
                String shown = field.length() <= 80 ? field : field.substring(0, 80) + "...";
                return Parsed.invalid(ApiError.invalidField(shown, "unknown field '" + shown
                        + "'; a status subscription has only url"));
            }
        }
        JsonNode url = node.get("url");
        if (url == null || url.isNull()) {
            return Parsed.invalid(ApiError.invalidField("url", "url is required: where the status notices are POSTed"));
        }
        Optional<String> text = RequestText.problem("url", url);
        if (text.isPresent()) {
            return Parsed.invalid(ApiError.invalidField("url", text.get()));
        }
        return urls.webhookUrl("url", url);
    }
}
