package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * fal.ai's queue API: {@code POST /{owner}/{app}[/{path}]} submits, {@code GET
 * /{owner}/{app}/requests/{id}/status} reports {@code IN_QUEUE}, {@code IN_PROGRESS} or
 * {@code COMPLETED} (202, 202, 200), {@code GET /{owner}/{app}/requests/{id}} returns the result and
 * {@code PUT .../requests/{id}/cancel} cancels; {@code Authorization: Key <key>}. A LoRA trainer's
 * submission carries {@code images_data_url} (a zip of images, downloaded and checked), {@code trigger_word}
 * and {@code steps}, runs for the provider's {@code training_ms} and returns {@code diffusers_lora_file};
 * a generation's {@code loras: [{path, scale}]} are downloaded as the real endpoint loads them.
 */
final class FalQueueApi implements ProviderApi {
    private final ScheduledExecutorService callbacks;

    FalQueueApi(ScheduledExecutorService callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public boolean authorized(HttpExchange exchange, SimulatedProvider provider) {
        return ("Key " + provider.apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    @Override
    public void handle(HttpExchange exchange, SimulatedProvider provider, String path, URI base) throws IOException {
        String method = exchange.getRequestMethod();
        int requests = path.indexOf("/requests/");
        if (method.equals("POST") && requests < 0) {
            submit(exchange, provider, path, base);
            return;
        }
        if (requests < 0) {
            ProviderApi.reply(exchange, 405, JSON.createObjectNode().put("detail", "Method not allowed"));
            return;
        }
        String app = path.substring(0, requests);
        String[] tail = path.substring(requests + "/requests/".length()).split("/");
        SimulatedProvider.SimJob job = provider.jobs.get(tail[0]);
        if (job == null) {
            ProviderApi.reply(exchange, 404, JSON.createObjectNode().put("detail", "Request not found"));
            return;
        }
        String requestUrl = base + "/" + app + "/requests/" + job.id;
        if (method.equals("GET") && tail.length == 2 && tail[1].equals("status")) {
            status(exchange, provider, job, requestUrl);
        } else if (method.equals("GET") && tail.length == 1) {
            result(exchange, provider, job, base);
        } else if (method.equals("PUT") && tail.length == 2 && tail[1].equals("cancel")) {
            boolean stopped = provider.cancel(job);
            ProviderApi.reply(exchange, stopped ? 202 : 400,
                    JSON.createObjectNode().put("status", stopped ? "CANCELLATION_REQUESTED" : "ALREADY_COMPLETED"));
        } else {
            ProviderApi.reply(exchange, 405, JSON.createObjectNode().put("detail", "Method not allowed"));
        }
    }

    private void submit(HttpExchange exchange, SimulatedProvider provider, String model, URI base) throws IOException {
        JsonNode input;
        try {
            input = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            ProviderApi.reply(exchange, 422, detail("body", "invalid JSON"));
            return;
        }
        if (input != null && input.hasNonNull("images_data_url")) {
            submitTraining(exchange, provider, model, base, input);
            return;
        }
        String prompt = input == null ? "" : input.path("prompt").asText("");
        boolean fromImage = input != null && input.hasNonNull("image_url");
        // Endpoints that take an image (upscale, background removal) may go without a prompt.
        if (prompt.isBlank() && !fromImage) {
            ProviderApi.reply(exchange, 422, detail("prompt", "field required"));
            return;
        }
        for (String field : new String[] {"image_url", "mask_url"}) {
            if (input != null && input.hasNonNull(field)) {
                Optional<String> problem = ProviderInputs.problem(provider, input.path(field).asText());
                if (problem.isPresent()) {
                    ProviderApi.reply(exchange, 422, detail(field, problem.get()));
                    return;
                }
            }
        }
        if (prompt.contains("[reject]")) {
            ProviderApi.reply(exchange, 422, detail("prompt", "prompt violates the content policy"));
            return;
        }
        for (JsonNode lora : input.path("loras")) {
            Optional<String> problem = lora.path("path").isTextual()
                    ? ProviderInputs.weightsProblem(provider, lora.path("path").asText())
                    : Optional.of("field required");
            if (problem.isPresent()) {
                ProviderApi.reply(exchange, 422, detail("loras", problem.get()));
                return;
            }
        }
        Optional<URI> webhook = webhook(exchange);
        admitted(exchange, provider, model, base, provider.admit(model, input.has("duration"),
                input.path("num_images").asInt(1), webhook));
    }

    /** fal's flux LoRA trainers: a zip of images at {@code images_data_url}, {@code steps} from 1 to 10000. */
    private void submitTraining(HttpExchange exchange, SimulatedProvider provider, String model, URI base, JsonNode input)
            throws IOException {
        JsonNode steps = input.get("steps");
        if (steps != null && !(steps.isIntegralNumber() && steps.asInt() >= 1 && steps.asInt() <= 10000)) {
            ProviderApi.reply(exchange, 422, detail("steps", "ensure this value is between 1 and 10000"));
            return;
        }
        if (input.has("trigger_word") && !input.get("trigger_word").isTextual()) {
            ProviderApi.reply(exchange, 422, detail("trigger_word", "str type expected"));
            return;
        }
        Optional<String> problem = ProviderInputs.archiveProblem(provider, input.path("images_data_url").asText());
        if (problem.isPresent()) {
            ProviderApi.reply(exchange, 422, detail("images_data_url", problem.get()));
            return;
        }
        admitted(exchange, provider, model, base, provider.admitTraining(model, webhook(exchange)));
    }

    private static Optional<URI> webhook(HttpExchange exchange) {
        return Optional.ofNullable(exchange.getRequestURI().getRawQuery()).stream()
                .flatMap(q -> Arrays.stream(q.split("&")))
                .filter(p -> p.startsWith("fal_webhook="))
                .map(p -> URLDecoder.decode(p.substring("fal_webhook=".length()), StandardCharsets.UTF_8))
                .findFirst().flatMap(SimulatedProviders::loopback);
    }

    private void admitted(HttpExchange exchange, SimulatedProvider provider, String model, URI base,
            SimulatedProvider.Admission admission) throws IOException {
        if (admission instanceof SimulatedProvider.Admission.Flaked) {
            ProviderApi.reply(exchange, 500, JSON.createObjectNode().put("detail", "Internal server error"));
            return;
        }
        if (admission instanceof SimulatedProvider.Admission.Full) {
            ProviderApi.reply(exchange, 429, JSON.createObjectNode().put("detail", "Too many concurrent requests"));
            return;
        }
        SimulatedProvider.SimJob job = ((SimulatedProvider.Admission.Accepted) admission).job();
        job.webhook.ifPresent(url -> callbacks.schedule(() -> announce(provider, job, url, base),
                Math.max(0, Duration.between(provider.now(), job.completes).toMillis()),
                TimeUnit.MILLISECONDS));
        String requestUrl = base + "/" + SimulatedProviders.appPath(model) + "/requests/" + job.id;
        ProviderApi.reply(exchange, 200, JSON.createObjectNode()
                .put("request_id", job.id)
                .put("response_url", requestUrl)
                .put("status_url", requestUrl + "/status")
                .put("cancel_url", requestUrl + "/cancel")
                .put("queue_position", 0));
    }

    private void status(HttpExchange exchange, SimulatedProvider provider, SimulatedProvider.SimJob job,
            String requestUrl) throws IOException {
        Instant now = provider.now();
        ObjectNode body = JSON.createObjectNode().put("request_id", job.id).put("response_url", requestUrl);
        if (job.done(now)) {
            body.put("status", "COMPLETED");
            if (provider.settle(job)) {
                body.put("error", "Internal server error").put("error_type", "runner_server_error");
            }
            ProviderApi.reply(exchange, 200, body);
            return;
        }
        body.put("status", job.queued(now) ? "IN_QUEUE" : "IN_PROGRESS");
        if (job.queued(now)) {
            body.put("queue_position", 0);
        }
        ProviderApi.reply(exchange, 202, body);
    }

    private void result(HttpExchange exchange, SimulatedProvider provider, SimulatedProvider.SimJob job, URI base)
            throws IOException {
        if (!job.done(provider.now())) {
            ProviderApi.reply(exchange, 400, JSON.createObjectNode().put("detail", "Request is still in progress"));
            return;
        }
        if (job.canceled) {
            ProviderApi.reply(exchange, 400, JSON.createObjectNode().put("detail", "Request was cancelled"));
            return;
        }
        if (provider.settle(job)) {
            ProviderApi.reply(exchange, 500, JSON.createObjectNode().put("detail", "Internal server error"));
            return;
        }
        ProviderApi.reply(exchange, 200, result(job, base));
    }

    private static ObjectNode result(SimulatedProvider.SimJob job, URI base) {
        String files = base + "/files/" + job.id + "/";
        ObjectNode body = JSON.createObjectNode();
        if (job.training) {
            body.putObject("diffusers_lora_file").put("url", files + "0.safetensors")
                    .put("content_type", "application/octet-stream").put("file_name", "pytorch_lora_weights.safetensors");
            body.putObject("config_file").put("url", files + "config.json").put("content_type", "application/json")
                    .put("file_name", "config.json");
            return body;
        }
        if (job.video) {
            body.putObject("video").put("url", files + "0.mp4").put("content_type", "video/mp4");
        } else {
            var images = body.putArray("images");
            for (int i = 0; i < job.images; i++) {
                images.addObject().put("url", files + i + ".png").put("content_type", "image/png")
                        .put("width", 1024).put("height", 1024);
            }
        }
        return body;
    }

    /** fal's webhook: the result (or error) signed with Ed25519 over request id, user id, timestamp and body hash. */
    private void announce(SimulatedProvider provider, SimulatedProvider.SimJob job, URI url, URI base) {
        try {
            boolean failed = provider.settle(job);
            ObjectNode event = JSON.createObjectNode().put("request_id", job.id).put("gateway_request_id", job.id)
                    .put("status", failed || job.canceled ? "ERROR" : "OK");
            if (failed || job.canceled) {
                event.put("error", "Internal server error");
                event.putObject("payload").put("detail", "Internal server error");
            } else {
                event.set("payload", result(job, base));
            }
            byte[] body = JSON.writeValueAsBytes(event);
            String timestamp = Long.toString(provider.now().getEpochSecond());
            String userId = "sim-user";
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(provider.signingKeys.getPrivate());
            ed25519.update((job.id + "\n" + userId + "\n" + timestamp + "\n" + digest).getBytes(StandardCharsets.UTF_8));
            ProviderApi.sendCallback(provider, url, Map.of(
                    "X-Fal-Webhook-Request-Id", job.id,
                    "X-Fal-Webhook-User-Id", userId,
                    "X-Fal-Webhook-Timestamp", timestamp,
                    "X-Fal-Webhook-Signature", HexFormat.of().formatHex(ed25519.sign())), body);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the simulated fal webhook could not be built", e);
        }
    }

    private static ObjectNode detail(String field, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("detail").addObject().put("msg", message).put("type", "value_error")
                .putArray("loc").add("body").add(field);
        return body;
    }
}
