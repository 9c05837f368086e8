package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replicate's predictions API: {@code POST /v1/models/{owner}/{name}/predictions} creates (201,
 * {@code starting}), {@code GET /v1/predictions/{id}} reads ({@code starting}, {@code processing},
 * {@code succeeded}, {@code failed}, {@code canceled}), {@code POST /v1/predictions/{id}/cancel}
 * cancels, {@code GET /v1/webhooks/default/secret} gives the webhook signing secret;
 * {@code Authorization: Bearer <token>}. A prediction created with a {@code webhook} is announced
 * there when it ends, signed the Standard Webhooks way, as Replicate does; only loopback URLs are
 * called. Trainings: {@code POST /v1/models/{owner}/{name}/versions/{version}/trainings} creates one
 * ({@code destination} and {@code input.input_images}, a zip that is downloaded and checked, required),
 * {@code GET /v1/trainings/{id}} reads it and {@code POST /v1/trainings/{id}/cancel} cancels it; it runs
 * for the provider's {@code training_ms} and its output is {@code {"version", "weights"}}. A
 * prediction's {@code lora_weights} are downloaded as Replicate's LoRA models load them.
 */
final class ReplicateApi implements ProviderApi {
    private final ScheduledExecutorService callbacks;
    private final SecureRandom random = new SecureRandom();

    ReplicateApi(ScheduledExecutorService callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public boolean authorized(HttpExchange exchange, SimulatedProvider provider) {
        return ("Bearer " + provider.apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    @Override
    public void handle(HttpExchange exchange, SimulatedProvider provider, String path, URI base) throws IOException {
        String method = exchange.getRequestMethod();
        String[] parts = path.split("/");
        if (method.equals("POST") && parts.length == 5 && parts[0].equals("v1") && parts[1].equals("models")
                && parts[4].equals("predictions")) {
            create(exchange, provider, parts[2] + "/" + parts[3], base);
            return;
        }
        if (method.equals("POST") && parts.length == 7 && parts[0].equals("v1") && parts[1].equals("models")
                && parts[4].equals("versions") && parts[6].equals("trainings")) {
            createTraining(exchange, provider, parts[2] + "/" + parts[3], parts[5], base);
            return;
        }
        if (method.equals("GET") && path.equals("v1/webhooks/default/secret")) {
            ProviderApi.reply(exchange, 200, JSON.createObjectNode().put("key", provider.webhookSecret));
            return;
        }
        // A prediction under /v1/predictions, a training under /v1/trainings: each only under its own.
        if (parts.length >= 3 && parts[0].equals("v1")
                && (parts[1].equals("predictions") || parts[1].equals("trainings"))) {
            SimulatedProvider.SimJob job = provider.jobs.get(parts[2]);
            if (job == null || job.training != parts[1].equals("trainings")) {
                ProviderApi.reply(exchange, 404, problem(404, "Not found", "The requested resource could not be found."));
                return;
            }
            if (method.equals("GET") && parts.length == 3) {
                ProviderApi.reply(exchange, 200, prediction(provider, job, base));
                return;
            }
            if (method.equals("POST") && parts.length == 4 && parts[3].equals("cancel")) {
                provider.cancel(job);
                ProviderApi.reply(exchange, 200, prediction(provider, job, base));
                return;
            }
        }
        ProviderApi.reply(exchange, 404, problem(404, "Not found", "The requested resource could not be found."));
    }

    private void create(HttpExchange exchange, SimulatedProvider provider, String model, URI base) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            ProviderApi.reply(exchange, 400, problem(400, "Invalid JSON", "The request body is not valid JSON."));
            return;
        }
        JsonNode input = body == null ? JSON.missingNode() : body.path("input");
        String prompt = input.path("prompt").asText("");
        if (prompt.isBlank() && !input.hasNonNull("image")) {
            ProviderApi.reply(exchange, 422, invalid("input.prompt", "prompt is required"));
            return;
        }
        for (String field : new String[] {"image", "mask"}) {
            if (input.hasNonNull(field)) {
                Optional<String> problem = ProviderInputs.problem(provider, input.path(field).asText());
                if (problem.isPresent()) {
                    ProviderApi.reply(exchange, 422, invalid("input." + field, problem.get()));
                    return;
                }
            }
        }
        if (prompt.contains("[reject]")) {
            ProviderApi.reply(exchange, 422, invalid("input.prompt", "prompt violates the content policy"));
            return;
        }
        if (input.hasNonNull("lora_weights")) {
            Optional<String> problem = ProviderInputs.weightsProblem(provider, input.path("lora_weights").asText());
            if (problem.isPresent()) {
                ProviderApi.reply(exchange, 422, invalid("input.lora_weights", problem.get()));
                return;
            }
        }
        Optional<URI> webhook = Optional.ofNullable(body.get("webhook")).map(JsonNode::asText).flatMap(SimulatedProviders::loopback);
        created(exchange, provider, base, provider.admit(model, input.has("duration"),
                input.path("num_outputs").asInt(1), webhook));
    }

    /** A training of a trainer version: the trained version goes to {@code destination}, an existing model. */
    private void createTraining(HttpExchange exchange, SimulatedProvider provider, String model, String version,
            URI base) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            ProviderApi.reply(exchange, 400, problem(400, "Invalid JSON", "The request body is not valid JSON."));
            return;
        }
        if (body == null || !body.path("destination").asText("").matches("[a-z0-9_.-]+/[a-z0-9_.-]+")) {
            ProviderApi.reply(exchange, 422, invalid("destination", "destination must be an existing model owner/name"));
            return;
        }
        JsonNode input = body.path("input");
        JsonNode steps = input.get("steps");
        if (steps != null && !(steps.isIntegralNumber() && steps.asInt() >= 3 && steps.asInt() <= 6000)) {
            ProviderApi.reply(exchange, 422, invalid("input.steps", "steps must be from 3 to 6000"));
            return;
        }
        if (!input.path("input_images").isTextual()) {
            ProviderApi.reply(exchange, 422, invalid("input.input_images", "input_images is required"));
            return;
        }
        Optional<String> problem = ProviderInputs.archiveProblem(provider, input.path("input_images").asText());
        if (problem.isPresent()) {
            ProviderApi.reply(exchange, 422, invalid("input.input_images", problem.get()));
            return;
        }
        Optional<URI> webhook = Optional.ofNullable(body.get("webhook")).map(JsonNode::asText).flatMap(SimulatedProviders::loopback);
        created(exchange, provider, base, provider.admitTraining(model + ":" + version, webhook));
    }

    private void created(HttpExchange exchange, SimulatedProvider provider, URI base,
            SimulatedProvider.Admission admission) throws IOException {
        if (admission instanceof SimulatedProvider.Admission.Flaked) {
            ProviderApi.reply(exchange, 500, problem(500, "Internal server error", "Something went wrong."));
            return;
        }
        if (admission instanceof SimulatedProvider.Admission.Full) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            ProviderApi.reply(exchange, 429, problem(429, "Request was throttled",
                    "Request was throttled. Expected available in 1 second."));
            return;
        }
        SimulatedProvider.SimJob job = ((SimulatedProvider.Admission.Accepted) admission).job();
        job.webhook.ifPresent(url -> callbacks.schedule(() -> announce(provider, job, url, base),
                Math.max(0, Duration.between(provider.now(), job.completes).toMillis()), TimeUnit.MILLISECONDS));
        // A new prediction is always reported as starting, as Replicate does; its fate is decided later.
        ObjectNode created = prediction(provider, job, base, true);
        ProviderApi.reply(exchange, 201, created);
    }

    /** The prediction object, as the API returns it and as its webhooks carry it. */
    private ObjectNode prediction(SimulatedProvider provider, SimulatedProvider.SimJob job, URI base) {
        return prediction(provider, job, base, false);
    }

    private ObjectNode prediction(SimulatedProvider provider, SimulatedProvider.SimJob job, URI base, boolean created) {
        Instant now = created ? job.submitted : provider.now();
        String self = base + (job.training ? "/v1/trainings/" : "/v1/predictions/") + job.id;
        // A training's model is its trainer, owner/name:version, as it was created.
        String[] modelAndVersion = job.model.split(":", 2);
        ObjectNode prediction = JSON.createObjectNode()
                .put("id", job.id)
                .put("model", modelAndVersion[0])
                .put("version", modelAndVersion.length == 2 ? modelAndVersion[1] : "simulated")
                .put("created_at", job.submitted.toString())
                .put("data_removed", false)
                .put("logs", "");
        prediction.putObject("urls").put("get", self).put("cancel", self + "/cancel");
        String status;
        if (job.canceled) {
            status = "canceled";
        } else if (created || !job.done(now)) {
            status = created || job.queued(now) ? "starting" : "processing";
        } else if (provider.settle(job)) {
            status = "failed";
            prediction.put("error", "Prediction failed: the model worker crashed");
        } else {
            status = "succeeded";
            String files = base + "/files/" + job.id + "/";
            if (job.training) {
                // A training's output: the version it pushed to its destination, and that version's weights.
                prediction.putObject("output").put("version", "creativeai/tenant-loras:" + job.id)
                        .put("weights", files + "trained_model.tar");
            } else if (job.video) {
                prediction.putArray("output").add(files + "0.mp4");
            } else {
                var output = prediction.putArray("output");
                for (int i = 0; i < job.images; i++) {
                    output.add(files + i + ".png");
                }
            }
        }
        prediction.put("status", status);
        if (!created && job.done(now)) {
            prediction.put("completed_at", job.completes.toString());
        }
        if (!prediction.has("output")) {
            prediction.putNull("output");
        }
        if (!prediction.has("error")) {
            prediction.putNull("error");
        }
        return prediction;
    }

    private void announce(SimulatedProvider provider, SimulatedProvider.SimJob job, URI url, URI base) {
        try {
            byte[] body = JSON.writeValueAsBytes(prediction(provider, job, base));
            byte[] id = new byte[12];
            random.nextBytes(id);
            String messageId = "msg_" + HexFormat.of().formatHex(id);
            String timestamp = Long.toString(provider.now().getEpochSecond());
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(provider.webhookSecret.substring("whsec_".length())),
                    "HmacSHA256"));
            mac.update((messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            String signature = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
            ProviderApi.sendCallback(provider, url, Map.of(
                    "webhook-id", messageId,
                    "webhook-timestamp", timestamp,
                    "webhook-signature", signature), body);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the simulated Replicate webhook could not be built", e);
        }
    }

    private static ObjectNode problem(int status, String title, String detail) {
        return JSON.createObjectNode().put("title", title).put("detail", detail).put("status", status);
    }

    private static ObjectNode invalid(String field, String message) {
        ObjectNode problem = problem(422, "Input validation failed", "- " + field + ": " + message);
        problem.putArray("invalid_fields").addObject().put("type", "invalid").put("field", field)
                .put("description", message);
        return problem;
    }
}
