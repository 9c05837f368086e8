package run.creativeai.gateway.adapters.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.webhook.SigningSecret;

/**
 * A stand-in for AWS and the providers, on loopback in the function's own process, for a priming that
 * walks a real event's path with a job that is there ({@link Rehearsals#againstStandIn}). It answers
 * as the services answer a call that succeeds: DynamoDB keeps the items put to it and reads them back
 * by key, applies an update's assignments and counters enough to return them, and takes every other
 * write as done; SQS takes every message, with its body's checksum, and reports empty queues; Secrets
 * Manager gives the provider credentials secret a key for every provider and every other secret a
 * random value of its own; and a provider or a webhook endpoint accepts every request. Nothing it is
 * told goes anywhere else, and it is gone when the rehearsal ends: no table, queue, provider or tenant
 * ever sees a rehearsal.
 */
public final class LoopbackStandIn implements AutoCloseable {
    /** What a provider's submission is accepted as (both wire protocols' field names). */
    static final String PROVIDER_JOB = "rehearsal";
    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String SQS = "AmazonSQS.";
    private static final String SECRETS_MANAGER = "secretsmanager.";
    /** An update expression's clauses: the action and what follows it up to the next action. */
    private static final Pattern CLAUSE = Pattern.compile(
            "\\b(SET|ADD|REMOVE|DELETE)\\s+(.*?)(?=\\s+\\b(?:SET|ADD|REMOVE|DELETE)\\b\\s|$)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern IF_NOT_EXISTS = Pattern.compile("\\s*if_not_exists\\([^,]+,\\s*(:\\w+)\\s*\\)\\s*");

    private final HttpServer server;
    private final FunctionEnvironment environment;
    private final String providerKeys;
    private final String providerCredentials;
    /** Every other secret's value (a pepper, a tenant's signing secret): of a signing secret's form, known to no one outside. */
    private final String secret = SigningSecret.generate(new java.security.SecureRandom()).reveal();
    private final Map<String, List<ObjectNode>> items = new HashMap<>();
    private final List<String> calls = new ArrayList<>();

    private LoopbackStandIn(HttpServer server, FunctionEnvironment real) {
        this.server = server;
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ObjectNode endpoints = Json.object();
        ObjectNode keys = Json.object();
        real.optional(Components.PROVIDER_ENDPOINTS).map(Json::read).ifPresent(configured -> configured.fieldNames()
                .forEachRemaining(provider -> {
                    endpoints.put(provider, url + "/" + provider + "/");
                    keys.put(provider, PROVIDER_JOB);
                }));
        this.providerKeys = Json.write(keys);
        this.providerCredentials = real.optional(Components.PROVIDER_CREDENTIALS_SECRET).orElse("");
        Map<String, String> changes = new HashMap<>();
        // Every AWS client to the stand-in, signing with keys of its own: nothing is asked of the
        // credentials endpoint or of a service-specific endpoint the real environment names.
        changes.put("AWS_ENDPOINT_URL", url);
        for (String service : List.of("DYNAMODB", "SQS", "SECRETS_MANAGER", "S3")) {
            changes.put("AWS_ENDPOINT_URL_" + service, "");
        }
        changes.put("AWS_ACCESS_KEY_ID", "rehearsal");
        changes.put("AWS_SECRET_ACCESS_KEY", "rehearsal");
        changes.put("AWS_SESSION_TOKEN", "");
        changes.put(Components.PROVIDER_ENDPOINTS, Json.write(endpoints));
        // Webhooks and downloads to loopback alone: a rehearsal posts to the stand-in, never past it.
        changes.put(Components.ALLOW_LOOPBACK_WEBHOOKS, "true");
        this.environment = real.with(changes);
    }

    /** A stand-in for the services {@code real} names, listening on an ephemeral loopback port until closed. */
    public static LoopbackStandIn start(FunctionEnvironment real) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LoopbackStandIn standIn = new LoopbackStandIn(server, real);
            server.createContext("/", standIn::answer);
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new IllegalStateException("the rehearsal's stand-in could not listen on loopback", e);
        }
    }

    /** {@code real} with every AWS endpoint and every provider's pointed here. */
    public FunctionEnvironment environment() {
        return environment;
    }

    /** The calls answered so far, in order: an AWS operation ({@code DynamoDB_20120810.GetItem}) or a provider's ({@code POST /fal/...}). */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = target != null ? target
                    : exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            synchronized (this) {
                calls.add(operation);
            }
            // An AWS call's JSON is read; a provider's or a webhook's body is taken and not looked at.
            ObjectNode answer = target == null ? provider()
                    : aws(target, body.length == 0 ? Json.object() : Json.read(new String(body, StandardCharsets.UTF_8)));
            byte[] out = Json.write(answer).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", target == null ? "application/json"
                    : target.startsWith(SECRETS_MANAGER) ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "rehearsal");
            exchange.sendResponseHeaders(target == null ? 201 : 200, out.length);
            exchange.getResponseBody().write(out);
        }
    }

    private synchronized ObjectNode aws(String target, JsonNode request) {
        ObjectNode answer = Json.object();
        String table = request.path("TableName").asText();
        switch (target) {
            // The newest first: a read finds the item put last under its key.
            case DYNAMODB + "PutItem" -> items.computeIfAbsent(table, t -> new ArrayList<>())
                    .add(0, (ObjectNode) request.path("Item").deepCopy());
            case DYNAMODB + "GetItem" -> find(table, request.path("Key")).ifPresent(item -> answer.set("Item", item));
            case DYNAMODB + "UpdateItem" -> update(table, request, answer);
            case DYNAMODB + "BatchGetItem" -> {
                ObjectNode responses = answer.putObject("Responses");
                answer.putObject("UnprocessedKeys");
                for (var asked : request.path("RequestItems").properties()) {
                    var found = responses.putArray(asked.getKey());
                    asked.getValue().path("Keys").forEach(key -> find(asked.getKey(), key).ifPresent(found::add));
                }
            }
            case DYNAMODB + "Query", DYNAMODB + "Scan" -> answer.put("Count", 0).putArray("Items");
            case SQS + "SendMessage" -> answer.put("MessageId", PROVIDER_JOB)
                    .put("MD5OfMessageBody", md5(request.path("MessageBody").asText()));
            case SQS + "GetQueueAttributes" -> {
                ObjectNode attributes = answer.putObject("Attributes");
                request.path("AttributeNames").forEach(name -> attributes.put(name.asText(), "0"));
            }
            case SECRETS_MANAGER + "GetSecretValue" -> answer.put("Name", request.path("SecretId").asText())
                    .put("SecretString", request.path("SecretId").asText().equals(providerCredentials) ? providerKeys
                            : secret);
            // Any other write is taken as done.
            default -> {
            }
        }
        return answer;
    }

    /** The item stored in {@code table} whose attributes include {@code key}'s (a key, or a whole item's). */
    private Optional<ObjectNode> find(String table, JsonNode key) {
        return items.getOrDefault(table, List.of()).stream().filter(item -> {
            var names = key.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!key.get(name).equals(item.get(name))) {
                    return false;
                }
            }
            return true;
        }).findFirst();
    }

    /**
     * An UpdateItem, its conditions taken as met: the update expression's {@code SET a = :v} (also
     * {@code if_not_exists}), {@code ADD a :n} and {@code REMOVE a} applied to the item (made from its
     * key if there was none), and the attributes its {@code ReturnValues} asks for returned. Enough
     * DynamoDB for a rehearsal to read back what it wrote (a counter's new value, a slot pool's holders),
     * not a model of it: conditions and nested paths are not evaluated.
     */
    private void update(String table, JsonNode request, ObjectNode answer) {
        JsonNode names = request.path("ExpressionAttributeNames");
        JsonNode values = request.path("ExpressionAttributeValues");
        ObjectNode item = find(table, request.path("Key")).orElseGet(() -> {
            ObjectNode created = (ObjectNode) request.path("Key").deepCopy();
            items.computeIfAbsent(table, t -> new ArrayList<>()).add(created);
            return created;
        });
        ObjectNode before = item.deepCopy();
        List<String> updated = new ArrayList<>();
        Matcher clause = CLAUSE.matcher(request.path("UpdateExpression").asText());
        while (clause.find()) {
            for (String action : clause.group(2).split(",(?![^(]*\\))")) {
                String[] parts = action.trim().split("\\s*=\\s*|\\s+", 2);
                String name = names.path(parts[0]).asText(parts[0]);
                updated.add(name);
                switch (clause.group(1).toUpperCase(java.util.Locale.ROOT)) {
                    case "SET" -> {
                        // A value, or a value if there is none; arithmetic and lists are left as they were.
                        Matcher ifAbsent = IF_NOT_EXISTS.matcher(parts[1]);
                        if (values.has(parts[1].trim())) {
                            item.set(name, values.get(parts[1].trim()));
                        } else if (ifAbsent.matches() && !item.has(name)) {
                            item.set(name, values.path(ifAbsent.group(1)));
                        }
                    }
                    case "ADD" -> {
                        JsonNode add = values.path(parts[1].trim());
                        if (add.has("N")) {
                            java.math.BigDecimal now = new java.math.BigDecimal(item.path(name).path("N").asText("0"));
                            item.putObject(name).put("N", now.add(new java.math.BigDecimal(add.get("N").asText()))
                                    .toPlainString());
                        }
                    }
                    case "REMOVE" -> item.remove(name);
                    default -> {
                    }
                }
            }
        }
        switch (request.path("ReturnValues").asText("NONE")) {
            case "ALL_NEW" -> answer.set("Attributes", item.deepCopy());
            case "ALL_OLD" -> answer.set("Attributes", before);
            case "UPDATED_NEW" -> answer.set("Attributes", Json.object().setAll(pick(item, updated)));
            case "UPDATED_OLD" -> answer.set("Attributes", Json.object().setAll(pick(before, updated)));
            default -> {
            }
        }
    }

    private static ObjectNode pick(ObjectNode item, List<String> names) {
        ObjectNode picked = Json.object();
        names.stream().filter(item::has).forEach(name -> picked.set(name, item.get(name)));
        return picked;
    }

    /** A submission accepted, as either wire protocol words it (a webhook endpoint reads no body). */
    private static ObjectNode provider() {
        return Json.object().put("id", PROVIDER_JOB).put("request_id", PROVIDER_JOB).put("status", "starting");
    }

    private static String md5(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
