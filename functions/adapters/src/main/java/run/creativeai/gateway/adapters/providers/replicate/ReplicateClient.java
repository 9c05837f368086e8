package run.creativeai.gateway.adapters.providers.replicate;

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
 * Replicate's predictions API with {@code Authorization: Bearer <token>}: create is
 * {@code POST /v1/models/{owner}/{name}/predictions} with {@code {"input": {...}}} (201, status
 * {@code starting}); get is {@code GET /v1/predictions/{id}} (status {@code starting},
 * {@code processing}, {@code succeeded}, {@code failed} or {@code canceled}, output a URL or a list
 * of URLs); cancel is {@code POST /v1/predictions/{id}/cancel}. Invalid input is a 422 problem
 * document whose {@code detail} says why. With a callback URL, Replicate announces the prediction's
 * end there ({@code webhook_events_filter: ["completed"]}), signed the Standard Webhooks way.
 *
 * <p>A LoRA training uses Replicate's trainings API: create is
 * {@code POST /v1/models/{owner}/{name}/versions/{version}/trainings} with {@code destination} (the
 * gateway's model the trained version is pushed to), {@code input} ({@code input_images}, a zip;
 * {@code trigger_word}; {@code steps}) and the webhook; get is {@code GET /v1/trainings/{id}} and cancel
 * {@code POST /v1/trainings/{id}/cancel}. A succeeded training's {@code output} is
 * {@code {"version": ..., "weights": <url>}}. A generation with trained weights passes them as
 * {@code lora_weights} (and {@code lora_scale}), as Replicate's LoRA models take them.
 */
public final class ReplicateClient implements ProviderClient {
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration GET_TIMEOUT = Duration.ofSeconds(3);

    /** The gateway's own model on Replicate that trainings push their versions to; it must exist there. */
    public static final String TRAINING_DESTINATION = "creativeai/tenant-loras";
    /** What a trained version's weights are: a tar of the LoRA files. */
    static final String TRAINED_WEIGHTS_TYPE = "application/x-tar";

    private final ProviderHttp http;
    private final URI base;
    private final Supplier<String> token;

    public ReplicateClient(ProviderHttp http, URI base, Supplier<String> token) {
        this.http = http;
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.token = token;
    }

    @Override
    public SubmitOutcome submit(ProviderRequest request) {
        ObjectNode body = Json.object();
        if (request.training().isPresent()) {
            body.put("destination", TRAINING_DESTINATION);
        }
        body.set("input", input(request));
        request.callbackUrl().ifPresent(url -> {
            body.put("webhook", url.toString());
            body.putArray("webhook_events_filter").add("completed");
        });
        Answer answer = http.send(authorized(base.resolve(createPath(request)), CREATE_TIMEOUT)
                .header("Content-Type", "application/json")
                .send("POST", Json.write(body)));
        if (answer instanceof Answer.NoAnswer none) {
            return new SubmitOutcome.Unavailable(none.reason(), none.detail());
        }
        Answer.Answered response = (Answer.Answered) answer;
        if (response.ok()) {
            Optional<String> id = response.json().map(n -> n.path("id").asText("")).filter(s -> !s.isBlank());
            return id.<SubmitOutcome>map(SubmitOutcome.Submitted::new)
                    .orElseGet(() -> new SubmitOutcome.Unavailable(Unavailability.MALFORMED_RESPONSE,
                            "create answered " + response.status() + " without an id"));
        }
        if (response.status() == 400 || response.status() == 422) {
            return new SubmitOutcome.InputRejected(detail(response.body()));
        }
        return new SubmitOutcome.Unavailable(ProviderHttp.unavailability(response.status()),
                "create answered HTTP " + response.status());
    }

    @Override
    public ProgressOutcome progress(ProviderJobRef ref) {
        Answer answer = http.send(authorized(base.resolve(resource(ref)), GET_TIMEOUT));
        if (answer instanceof Answer.NoAnswer none) {
            return new ProgressOutcome.Unknown("get: " + none.detail());
        }
        Answer.Answered response = (Answer.Answered) answer;
        if (response.status() >= 500 || response.status() == 429) {
            return new ProgressOutcome.Unknown("get answered HTTP " + response.status());
        }
        Optional<JsonNode> prediction = response.json();
        if (!response.ok() || prediction.isEmpty()) {
            return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE, "get answered HTTP " + response.status());
        }
        return outcome(prediction.get());
    }

    @Override
    public CancelOutcome cancel(ProviderJobRef ref) {
        Answer answer = http.send(authorized(base.resolve(resource(ref) + "/cancel"), GET_TIMEOUT)
                .send("POST", ""));
        if (answer instanceof Answer.NoAnswer none) {
            return new CancelOutcome.Unavailable(none.detail());
        }
        Answer.Answered response = (Answer.Answered) answer;
        String status = response.json().map(n -> n.path("status").asText("")).orElse("");
        if (response.ok() && status.equals("canceled")) {
            return new CancelOutcome.Canceled();
        }
        if (response.ok() && (status.equals("succeeded") || status.equals("failed"))) {
            return new CancelOutcome.AlreadyFinished();
        }
        return new CancelOutcome.Unavailable("cancel answered HTTP " + response.status());
    }

    /**
     * Where a request is created: a model's predictions, or a trainer version's trainings (the
     * provider model {@code owner/name:version}, as Replicate's clients pin a version).
     */
    static String createPath(ProviderRequest request) {
        if (request.training().isEmpty()) {
            return "v1/models/" + request.providerModel() + "/predictions";
        }
        String[] modelAndVersion = request.providerModel().split(":", 2);
        if (modelAndVersion.length != 2) {
            throw new IllegalArgumentException("a Replicate trainer is named owner/name:version, not "
                    + request.providerModel());
        }
        return "v1/models/" + modelAndVersion[0] + "/versions/" + modelAndVersion[1] + "/trainings";
    }

    /** A prediction's or a training's own URL path. */
    private static String resource(ProviderJobRef ref) {
        return (ref.training() ? "v1/trainings/" : "v1/predictions/") + ref.providerJobId();
    }

    /** What a prediction or training object (from a get or a webhook) says about the request. */
    public static ProgressOutcome outcome(JsonNode prediction) {
        String status = prediction.path("status").asText("");
        switch (status) {
            case "starting", "processing":
                return new ProgressOutcome.InProgress();
            case "succeeded": {
                List<Output> outputs = outputs(prediction.path("output"));
                return outputs.isEmpty()
                        ? new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE, "succeeded without output")
                        : new ProgressOutcome.Completed(outputs);
            }
            case "failed":
                return new ProgressOutcome.Failed(Unavailability.SERVER_ERROR,
                        "prediction failed: " + prediction.path("error").asText("no reason given"));
            case "canceled":
                return new ProgressOutcome.Failed(Unavailability.SERVER_ERROR, "the provider canceled the prediction");
            default:
                return new ProgressOutcome.Failed(Unavailability.MALFORMED_RESPONSE, "unknown status '" + status + "'");
        }
    }

    private ProviderHttp.Call authorized(URI uri, Duration timeout) {
        return ProviderHttp.Call.get(uri, timeout)
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/json");
    }

    /** The input Replicate's image and video models take: input images by URL in {@code image} and {@code mask}. */
    static ObjectNode input(ProviderRequest request) {
        ObjectNode input = Json.object();
        if (request.training().isPresent()) {
            ProviderRequest.Training training = request.training().get();
            return input.put("input_images", training.imagesZip().toString())
                    .put("trigger_word", training.triggerWord())
                    .put("steps", training.steps());
        }
        request.lora().ifPresent(lora -> input.put("lora_weights", lora.weights().toString())
                .put("lora_scale", lora.scale()));
        if (!request.prompt().isEmpty()) {
            input.put("prompt", request.prompt());
        }
        request.image().ifPresent(u -> input.put("image", u.toString()));
        request.mask().ifPresent(u -> input.put("mask", u.toString()));
        if (request.kind() == JobKind.IMAGE) {
            input.put("num_outputs", request.n());
            request.size().ifPresent(size -> {
                String[] wh = size.split("x");
                input.put("width", Integer.parseInt(wh[0])).put("height", Integer.parseInt(wh[1]));
            });
        } else {
            request.durationSeconds().ifPresent(d -> input.put("duration", d));
            request.resolution().ifPresent(r -> input.put("resolution", r));
        }
        return input;
    }

    static List<Output> outputs(JsonNode output) {
        List<Output> outputs = new ArrayList<>();
        // A training's output: the version it pushed, and its weights.
        if (output.isObject() && output.path("weights").isTextual()) {
            outputs.add(Output.of(output.path("weights").asText(), TRAINED_WEIGHTS_TYPE));
            return outputs;
        }
        if (output.isTextual()) {
            outputs.add(Output.of(output.asText(), ProviderHttp.contentTypeOf(output.asText())));
        }
        for (JsonNode item : output) {
            if (item.isTextual()) {
                outputs.add(Output.of(item.asText(), ProviderHttp.contentTypeOf(item.asText())));
            }
        }
        return outputs;
    }

    /** Replicate's errors are problem documents: {@code {"title": ..., "detail": ..., "status": 422}}. */
    static String detail(String body) {
        return ProviderHttp.json(body).map(n -> n.path("detail").asText(n.path("title").asText("")))
                .filter(s -> !s.isBlank()).orElse("the provider refused the request");
    }
}
