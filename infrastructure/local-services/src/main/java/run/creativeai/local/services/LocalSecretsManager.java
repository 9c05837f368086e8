package run.creativeai.local.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Secrets Manager JSON protocol ({@code X-Amz-Target: secretsmanager.<Operation>}, AWS JSON 1.1)
 * for the operations the gateway and its tools use, so the real SDK client runs against it. Errors
 * come back as AWS does, with {@code __type}, so the SDK raises its typed exceptions. Secrets are
 * versioned with staging labels as Secrets Manager versions them: each label on at most one version,
 * {@code ClientRequestToken} as the new version's id (idempotent for the same value), and moving
 * AWSCURRENT labels the version it left AWSPREVIOUS; with a data directory they persist to
 * {@code secrets.json}.
 */
public final class LocalSecretsManager implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";

    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final Optional<Path> file;
    private final SecureRandom random = new SecureRandom();

    public LocalSecretsManager(Optional<Path> dataDir) {
        this.file = dataDir.map(d -> d.resolve("secrets.json"));
        file.filter(Files::exists).ifPresent(this::load);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Target")).orElse("");
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Reply reply;
            synchronized (this) {
                reply = switch (target) {
                    case "secretsmanager.GetSecretValue" -> get(request);
                    case "secretsmanager.CreateSecret" -> create(request);
                    case "secretsmanager.PutSecretValue" -> put(request);
                    case "secretsmanager.UpdateSecretVersionStage" -> updateStage(request);
                    case "secretsmanager.DescribeSecret" -> describe(request);
                    case "secretsmanager.ListSecrets" -> list();
                    case "secretsmanager.DeleteSecret" -> delete(request);
                    default -> Reply.error("InvalidRequestException", "operation " + target + " is not served locally");
                };
                if (reply.status == 200 && !target.endsWith("GetSecretValue") && !target.endsWith("DescribeSecret")
                        && !target.endsWith("ListSecrets")) {
                    save();
                }
            }
            byte[] body = JSON.writeValueAsBytes(reply.body);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(reply.status, body.length);
            exchange.getResponseBody().write(body);
        }
    }






    private Reply get(JsonNode request) {
        Optional<Secret> found = find(request.path("SecretId").asText());
        if (found.isEmpty()) {
            return notFound(request);
        }
        Secret secret = found.get();
        Version version;
        if (request.hasNonNull("VersionId")) {
            version = secret.versions.stream().filter(v -> v.id.equals(request.path("VersionId").asText())).findFirst()
                    .orElse(null);
        } else {
            version = secret.versionOrNull(request.path("VersionStage").asText(CURRENT));
        }
        if (version == null) {
            return Reply.error("ResourceNotFoundException", "Secrets Manager can't find the specified secret value.");
        }
        ObjectNode body = JSON.createObjectNode()
                .put("ARN", secret.arn)
                .put("Name", secret.name)
                .put("VersionId", version.id)
                .put("SecretString", version.value)
                .put("CreatedDate", version.created.getEpochSecond());
        ArrayNode stages = body.putArray("VersionStages");
        version.stages.forEach(stages::add);
        return Reply.ok(body);
    }

    private Reply create(JsonNode request) {
        String name = request.path("Name").asText("");
        if (name.isEmpty() || !request.hasNonNull("SecretString")) {
            return Reply.error("InvalidParameterException", "Name and SecretString are required");
        }
        if (secrets.containsKey(name)) {
            return Reply.error("ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
        }
        Secret secret = Secret.create(name, arn(name), request.path("Description").asText(""),
                request.path("SecretString").asText());
        secrets.put(name, secret);
        return Reply.ok(JSON.createObjectNode().put("ARN", secret.arn).put("Name", name)
                .put("VersionId", secret.version(CURRENT).id));
    }

    private Reply put(JsonNode request) {
        Optional<Secret> found = find(request.path("SecretId").asText());
        if (found.isEmpty()) {
            return notFound(request);
        }
        Secret secret = found.get();
        String value = request.path("SecretString").asText();
        String id = request.hasNonNull("ClientRequestToken") ? request.path("ClientRequestToken").asText()
                : UUID.randomUUID().toString();
        List<String> stages = new ArrayList<>();
        request.path("VersionStages").forEach(stage -> stages.add(stage.asText()));
        if (stages.isEmpty()) {
            stages.add(CURRENT);
        }
        Optional<Version> existing = secret.versions.stream().filter(v -> v.id.equals(id)).findFirst();
        Version version;
        if (existing.isPresent()) {
            if (!existing.get().value.equals(value)) {
                return Reply.error("ResourceExistsException",
                        "You can't modify an existing version, you can only create a new version.");
            }
            version = existing.get();
        } else {
            version = new Version(id, value, Instant.now(), new ArrayList<>());
            secret.versions.add(version);
            stages.forEach(stage -> secret.attach(stage, version));
        }
        ObjectNode body = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("VersionId", version.id);
        ArrayNode stageList = body.putArray("VersionStages");
        version.stages.forEach(stageList::add);
        return Reply.ok(body);
    }

    private Reply updateStage(JsonNode request) {
        Optional<Secret> found = find(request.path("SecretId").asText());
        if (found.isEmpty()) {
            return notFound(request);
        }
        Secret secret = found.get();
        String stage = request.path("VersionStage").asText("");
        if (stage.isEmpty()) {
            return Reply.error("InvalidParameterException", "VersionStage is required");
        }
        Version holder = secret.versionOrNull(stage);
        String removeFrom = request.path("RemoveFromVersionId").asText(null);
        String moveTo = request.path("MoveToVersionId").asText(null);
        if (removeFrom != null && (holder == null || !holder.id.equals(removeFrom))) {
            return Reply.error("InvalidParameterException",
                    "The staging label " + stage + " is not attached to version " + removeFrom + ".");
        }
        if (moveTo == null) {
            if (holder != null && removeFrom != null) {
                holder.stages.remove(stage);
            }
        } else {
            Optional<Version> target = secret.versions.stream().filter(v -> v.id.equals(moveTo)).findFirst();
            if (target.isEmpty()) {
                return Reply.error("ResourceNotFoundException", "Secrets Manager can't find the specified secret version.");
            }
            if (holder != null && holder != target.get() && removeFrom == null) {
                return Reply.error("InvalidParameterException", "The staging label " + stage
                        + " is currently attached to version " + holder.id + ". You must specify RemoveFromVersionId.");
            }
            secret.attach(stage, target.get());
        }
        return Reply.ok(JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name));
    }

    private Reply describe(JsonNode request) {
        Optional<Secret> found = find(request.path("SecretId").asText());
        if (found.isEmpty()) {
            return notFound(request);
        }
        Secret secret = found.get();
        ObjectNode body = JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name)
                .put("Description", secret.description);
        ObjectNode stages = body.putObject("VersionIdsToStages");
        secret.versions.stream().filter(v -> !v.stages.isEmpty())
                .forEach(v -> v.stages.forEach(stages.putArray(v.id)::add));
        return Reply.ok(body);
    }

    private Reply list() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("SecretList");
        secrets.values().forEach(s -> list.addObject().put("ARN", s.arn).put("Name", s.name));
        return Reply.ok(body);
    }

    private Reply delete(JsonNode request) {
        Optional<Secret> found = find(request.path("SecretId").asText());
        if (found.isEmpty()) {
            return notFound(request);
        }
        secrets.remove(found.get().name);
        return Reply.ok(JSON.createObjectNode().put("ARN", found.get().arn).put("Name", found.get().name)
                .put("DeletionDate", Instant.now().getEpochSecond()));
    }

    private Optional<Secret> find(String id) {
        Secret byName = secrets.get(id);
        if (byName != null) {
            return Optional.of(byName);
        }
        return secrets.values().stream().filter(s -> s.arn.equals(id)).findFirst();
    }

    private static Reply notFound(JsonNode request) {
        return Reply.error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    private String arn(String name) {
        String suffix = Long.toString(Math.abs(random.nextLong()), 36);
        suffix = (suffix + "000000").substring(0, 6);
        return "arn:aws:secretsmanager:" + EmbeddedSqs.REGION + ":" + EmbeddedSqs.ACCOUNT + ":secret:" + name + "-" + suffix;
    }

    private void save() {
        if (file.isEmpty()) {
            return;
        }
        ArrayNode all = JSON.createArrayNode();
        for (Secret s : secrets.values()) {
            ObjectNode node = all.addObject().put("name", s.name).put("arn", s.arn).put("description", s.description);
            ArrayNode versions = node.putArray("versions");
            for (Version v : s.versions) {
                ObjectNode vn = versions.addObject().put("id", v.id).put("value", v.value).put("created", v.created.toString());
                v.stages.forEach(vn.putArray("stages")::add);
            }
        }
        try {
            Files.createDirectories(file.get().getParent());
            Path tmp = file.get().resolveSibling("secrets.json.tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
            Files.move(tmp, file.get(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save local secrets", e);
        }
    }

    private void load(Path path) {
        try {
            for (JsonNode node : JSON.readTree(Files.readAllBytes(path))) {
                Secret secret = new Secret(node.path("name").asText(), node.path("arn").asText(),
                        node.path("description").asText(""));
                for (JsonNode v : node.path("versions")) {
                    List<String> stages = new ArrayList<>();
                    v.path("stages").forEach(st -> stages.add(st.asText()));
                    secret.versions.add(new Version(v.path("id").asText(), v.path("value").asText(),
                            Instant.parse(v.path("created").asText()), stages));
                }
                secrets.put(secret.name, secret);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }

    private record Reply(int status, JsonNode body) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }

        static Reply error(String type, String message) {
            return new Reply(400, JSON.createObjectNode().put("__type", type).put("Message", message));
        }
    }

    private static final class Secret {
        final String name;
        final String arn;
        final String description;
        final List<Version> versions = new ArrayList<>();

        Secret(String name, String arn, String description) {
            this.name = name;
            this.arn = arn;
            this.description = description;
        }

        static Secret create(String name, String arn, String description, String value) {
            Secret secret = new Secret(name, arn, description);
            secret.versions.add(new Version(UUID.randomUUID().toString(), value, Instant.now(),
                    new ArrayList<>(List.of(CURRENT))));
            return secret;
        }

        Version version(String stage) {
            Version v = versionOrNull(stage);
            if (v == null) {
                throw new IllegalStateException("secret " + name + " has no " + stage + " version");
            }
            return v;
        }

        Version versionOrNull(String stage) {
            return versions.stream().filter(v -> v.stages.contains(stage)).findFirst().orElse(null);
        }

        /**
         * Puts {@code stage} on {@code version}, taking it off the version that had it; moving
         * AWSCURRENT labels the version it left AWSPREVIOUS, as Secrets Manager does.
         */
        void attach(String stage, Version version) {
            Version old = versionOrNull(stage);
            if (old == version) {
                return;
            }
            if (old != null) {
                old.stages.remove(stage);
            }
            version.stages.add(stage);
            if (stage.equals(CURRENT) && old != null) {
                versions.forEach(v -> v.stages.remove(PREVIOUS));
                old.stages.add(PREVIOUS);
            }
        }
    }

    private record Version(String id, String value, Instant created, List<String> stages) {
    }
}
