package run.creativeai.gateway.adapters.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import run.creativeai.gateway.job.JobKind;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderClient;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;

/**
 * fal.ai's queue API. Submit is {@code POST /{model id}} with {@code Authorization: Key <key>} and
 * answers a {@code request_id}; status is {@code GET /{owner}/{app}/requests/{id}/status} (202 while
 * {@code IN_QUEUE} or {@code IN_PROGRESS}, 200 once {@code COMPLETED}); the result is
 * {@code GET /{owner}/{app}/requests/{id}}. Status and result URLs use only the owner and app of
 * the model id, not its endpoint path.
 */
public final class FalQueueClient implements ProviderClient {
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final URI base;
    private final Supplier<String> apiKey;

    public FalQueueClient(HttpClient http, URI base, Supplier<String> apiKey) {
        this.http = http;
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.apiKey = apiKey;
    }

    @Override
    public SubmitOutcome submit(ProviderRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(authorized(base.resolve(request.providerModel()), SUBMIT_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(input(request)), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer within " + SUBMIT_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            return new SubmitOutcome.Unavailable(Unavailability.UNREACHABLE, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SubmitOutcome.Unavailable(Unavailability.UNREACHABLE, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            Optional<String> id = json(response.body()).map(n -> n.path("request_id").asText("")).filter(s -> !s.isBlank());
            return id.<SubmitOutcome>map(SubmitOutcome.Submitted::new)
                    .orElseGet(() -> new SubmitOutcome.Unavailable(Unavailability.MALFORMED_RESPONSE,
                            "submit answered " + status + " without a request_id"));
        }
        if (status == 400 || status == 422) {
            return new SubmitOutcome.InputRejected(errorMessage(response.body()));
        }
        return new SubmitOutcome.Unavailable(classify(status), "submit answered HTTP " + status);
    }

    @Override
    public ProgressOutcome progress(ProviderJobRef ref) {
        String requests = appPath(ref.providerModel()) + "/requests/" + ref.providerJobId();
        HttpResponse<String> status;
        try {
            status = get(requests + "/status");
        } catch (IOException e) {
            return new ProgressOutcome.Unknown("status check failed: " + e.getMessage());
        }
        if (status.statusCode() >= 500 || status.statusCode() == 429) {
            return new ProgressOutcome.Unknown("status check answered HTTP " + status.statusCode());
        }
        Optional<JsonNode> body = json(status.body());
        if (status.statusCode() >= 400 || body.isEmpty()) {
            return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE,
                    "status check answered HTTP " + status.statusCode());
        }
        String state = body.get().path("status").asText("");
        switch (state) {
            case "IN_QUEUE", "IN_PROGRESS":
                return new ProgressOutcome.InProgress();
            case "COMPLETED":
                return result(requests, ref.providerModel());
            default:
                return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE, "unknown status '" + state + "'");
        }
    }

    private ProgressOutcome result(String requests, String providerModel) {
        HttpResponse<String> response;
        try {
            response = get(requests);
        } catch (IOException e) {
            return new ProgressOutcome.Unknown("result fetch failed: " + e.getMessage());
        }
        int code = response.statusCode();
        if (code == 400 || code == 422) {
            return new ProgressOutcome.InputRejected(errorMessage(response.body()));
        }
        if (code >= 300) {
            return new ProgressOutcome.Failed(classify(code), "result answered HTTP " + code);
        }
        Optional<JsonNode> body = json(response.body());
        List<Output> outputs = body.map(FalQueueClient::outputs).orElse(List.of());
        if (outputs.isEmpty()) {
            return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE,
                    "result of " + providerModel + " holds no images or video");
        }
        return new ProgressOutcome.Completed(outputs);
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(authorized(base.resolve(path), STATUS_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpRequest.Builder authorized(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Key " + apiKey.get())
                .header("Accept", "application/json");
    }

    /** The request body fal's image and video models take. */
    static ObjectNode input(ProviderRequest request) {
        ObjectNode input = Json.object().put("prompt", request.prompt());
        if (request.kind() == JobKind.IMAGE) {
            input.put("num_images", request.n());
            request.size().ifPresent(size -> {
                String[] wh = size.split("x");
                input.putObject("image_size").put("width", Integer.parseInt(wh[0])).put("height", Integer.parseInt(wh[1]));
            });
        } else {
            request.durationSeconds().ifPresent(d -> input.put("duration", Integer.toString(d)));
            request.imageUrl().ifPresent(u -> input.put("image_url", u.toString()));
        }
        return input;
    }

    static List<Output> outputs(JsonNode result) {
        List<Output> outputs = new ArrayList<>();
        for (JsonNode image : result.path("images")) {
            if (image.hasNonNull("url")) {
                outputs.add(new Output(image.path("url").asText(), image.path("content_type").asText("image/png"),
                        image.has("width") ? Optional.of(image.path("width").asInt()) : Optional.empty(),
                        image.has("height") ? Optional.of(image.path("height").asInt()) : Optional.empty()));
            }
        }
        JsonNode video = result.path("video");
        if (video.hasNonNull("url")) {
            outputs.add(Output.of(video.path("url").asText(), video.path("content_type").asText("video/mp4")));
        }
        return outputs;
    }

    /** {@code owner/app} of a model id such as {@code fal-ai/flux/schnell}. */
    static String appPath(String providerModel) {
        String[] parts = providerModel.split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] : providerModel;
    }

    private static Unavailability classify(int status) {
        return status == 429 || status == 503 ? Unavailability.CAPACITY : Unavailability.SERVER_ERROR;
    }

    private static Optional<JsonNode> json(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** fal reports validation errors as {@code {"detail": "..."}} or {@code {"detail": [{"loc": [...], "msg": "..."}]}}. */
    static String errorMessage(String body) {
        Optional<JsonNode> node = json(body);
        if (node.isEmpty()) {
            return "the provider refused the request";
        }
        JsonNode detail = node.get().path("detail");
        if (detail.isTextual()) {
            return detail.asText();
        }
        if (detail.isArray() && !detail.isEmpty()) {
            List<String> messages = new ArrayList<>();
            for (JsonNode d : detail) {
                List<String> loc = new ArrayList<>();
                d.path("loc").forEach(l -> {
                    if (!"body".equals(l.asText())) {
                        loc.add(l.asText());
                    }
                });
                messages.add((loc.isEmpty() ? "" : String.join(".", loc) + ": ") + d.path("msg").asText());
            }
            return String.join("; ", messages);
        }
        return "the provider refused the request";
    }
}
