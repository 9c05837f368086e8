package run.creativeai.gateway.adapters.providers.fal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import run.creativeai.gateway.adapters.providers.ProviderHttp.Answer;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.provider.CancelOutcome;
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
 * {@code GET /{owner}/{app}/requests/{id}}; cancel is {@code PUT /{owner}/{app}/requests/{id}/cancel}
 * (202 {@code CANCELLATION_REQUESTED}, or 400 {@code ALREADY_COMPLETED}). Status, result and cancel
 * URLs use only the owner and app of the model id, not its endpoint path. A callback URL goes in
 * the {@code fal_webhook} query parameter; fal signs its webhooks with Ed25519
 * ({@link FalWebhookVerifier}).
 *
 * <p>A LoRA training goes to a trainer such as {@code fal-ai/flux-lora-fast-training} through the same
 * queue, with {@code images_data_url} (a zip of the images), {@code trigger_word} and {@code steps};
 * its result names the weights in {@code diffusers_lora_file}. A generation with trained weights goes
 * to a LoRA endpoint such as {@code fal-ai/flux-lora} with {@code loras: [{path, scale}]}.
 */
public final class FalQueueClient implements ProviderClient {
    private static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

    /** What fal's trainers say of their weights files when they say nothing else. */
    static final String TRAINED_WEIGHTS_TYPE = "application/octet-stream";

    private final ProviderHttp http;
    private final URI base;
    private final Supplier<String> apiKey;

    public FalQueueClient(ProviderHttp http, URI base, Supplier<String> apiKey) {
        this.http = http;
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.apiKey = apiKey;
    }

    @Override
    public SubmitOutcome submit(ProviderRequest request) {
        String submit = request.providerModel() + request.callbackUrl()
                .map(url -> "?fal_webhook=" + java.net.URLEncoder.encode(url.toString(), StandardCharsets.UTF_8)).orElse("");
        Answer answer = http.send(authorized(base.resolve(submit), SUBMIT_TIMEOUT)
                .header("Content-Type", "application/json")
                .send("POST", Json.write(input(request))));
        if (answer instanceof Answer.NoAnswer none) {
            return new SubmitOutcome.Unavailable(none.reason(), none.detail());
        }
        Answer.Answered response = (Answer.Answered) answer;
        if (response.ok()) {
            Optional<String> id = response.json().map(n -> n.path("request_id").asText("")).filter(s -> !s.isBlank());
            return id.<SubmitOutcome>map(SubmitOutcome.Submitted::new)
                    .orElseGet(() -> new SubmitOutcome.Unavailable(Unavailability.MALFORMED_RESPONSE,
                            "submit answered " + response.status() + " without a request_id"));
        }
        if (response.status() == 400 || response.status() == 422) {
            return new SubmitOutcome.InputRejected(errorMessage(response.body()));
        }
        return new SubmitOutcome.Unavailable(ProviderHttp.unavailability(response.status()),
                "submit answered HTTP " + response.status());
    }

    @Override
    public ProgressOutcome progress(ProviderJobRef ref) {
        String requests = requestsPath(ref);
        Answer answer = http.send(authorized(base.resolve(requests + "/status"), STATUS_TIMEOUT));
        if (answer instanceof Answer.NoAnswer none) {
            return new ProgressOutcome.Unknown("status check: " + none.detail());
        }
        Answer.Answered status = (Answer.Answered) answer;
        if (status.status() >= 500 || status.status() == 429) {
            return new ProgressOutcome.Unknown("status check answered HTTP " + status.status());
        }
        Optional<JsonNode> body = status.json();
        if (status.status() >= 400 || body.isEmpty()) {
            return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE,
                    "status check answered HTTP " + status.status());
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

    @Override
    public CancelOutcome cancel(ProviderJobRef ref) {
        Answer answer = http.send(authorized(base.resolve(requestsPath(ref) + "/cancel"), STATUS_TIMEOUT)
                .send("PUT", ""));
        if (answer instanceof Answer.NoAnswer none) {
            return new CancelOutcome.Unavailable(none.detail());
        }
        Answer.Answered response = (Answer.Answered) answer;
        String status = response.json().map(n -> n.path("status").asText("")).orElse("");
        if (response.ok() && status.equals("CANCELLATION_REQUESTED")) {
            return new CancelOutcome.Canceled();
        }
        if (status.equals("ALREADY_COMPLETED")) {
            return new CancelOutcome.AlreadyFinished();
        }
        return new CancelOutcome.Unavailable("cancel answered HTTP " + response.status());
    }

    private ProgressOutcome result(String requests, String providerModel) {
        Answer answer = http.send(authorized(base.resolve(requests), STATUS_TIMEOUT));
        if (answer instanceof Answer.NoAnswer none) {
            return new ProgressOutcome.Unknown("result fetch: " + none.detail());
        }
        Answer.Answered response = (Answer.Answered) answer;
        if (response.status() == 400 || response.status() == 422) {
            return new ProgressOutcome.InputRejected(errorMessage(response.body()));
        }
        if (!response.ok()) {
            return new ProgressOutcome.Failed(ProviderHttp.unavailability(response.status()),
                    "result answered HTTP " + response.status());
        }
        List<Output> outputs = response.json().map(FalQueueClient::outputs).orElse(List.of());
        if (outputs.isEmpty()) {
            return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE,
                    "result of " + providerModel + " holds no images or video");
        }
        return new ProgressOutcome.Completed(outputs);
    }

    private String requestsPath(ProviderJobRef ref) {
        return appPath(ref.providerModel()) + "/requests/" + ref.providerJobId();
    }

    private ProviderHttp.Call authorized(URI uri, Duration timeout) {
        return ProviderHttp.Call.get(uri, timeout)
                .header("Authorization", "Key " + apiKey.get())
                .header("Accept", "application/json");
    }

    /**
     * The request body fal's image and video models take: input images by URL in {@code image_url}
     * and {@code mask_url}, as fal's image-to-image, inpainting, upscale, background and
     * image-to-video endpoints name them.
     */
    static ObjectNode input(ProviderRequest request) {
        ObjectNode input = Json.object();
        if (request.training().isPresent()) {
            ProviderRequest.Training training = request.training().get();
            return input.put("images_data_url", training.imagesZip().toString())
                    .put("trigger_word", training.triggerWord())
                    .put("steps", training.steps());
        }
        request.lora().ifPresent(lora -> input.putArray("loras").addObject()
                .put("path", lora.weights().toString()).put("scale", lora.scale()));
        if (!request.prompt().isEmpty()) {
            input.put("prompt", request.prompt());
        }
        request.image().ifPresent(u -> input.put("image_url", u.toString()));
        request.mask().ifPresent(u -> input.put("mask_url", u.toString()));
        if (request.kind() == JobKind.IMAGE) {
            input.put("num_images", request.n());
            request.size().ifPresent(size -> {
                String[] wh = size.split("x");
                input.putObject("image_size").put("width", Integer.parseInt(wh[0])).put("height", Integer.parseInt(wh[1]));
            });
        } else {
            request.durationSeconds().ifPresent(d -> input.put("duration", Integer.toString(d)));
            request.resolution().ifPresent(r -> input.put("resolution", r));
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
        // A LoRA trainer's result: the weights (a .safetensors file); its config file is not kept.
        JsonNode weights = result.path("diffusers_lora_file");
        if (weights.hasNonNull("url")) {
            outputs.add(Output.of(weights.path("url").asText(),
                    weights.path("content_type").asText(TRAINED_WEIGHTS_TYPE)));
        }
        return outputs;
    }

    /** {@code owner/app} of a model id such as {@code fal-ai/flux/schnell}. */
    static String appPath(String providerModel) {
        String[] parts = providerModel.split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] : providerModel;
    }

    /** fal reports validation errors as {@code {"detail": "..."}} or {@code {"detail": [{"loc": [...], "msg": "..."}]}}. */
    static String errorMessage(String body) {
        Optional<JsonNode> node = ProviderHttp.json(body);
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
