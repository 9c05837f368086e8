package run.creativeai.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The API's OpenAPI 3.1 document ({@code api/openapi.json}) as a contract the end-to-end suites hold
 * the gateway to: given a response (status, headers, body) to a request, or a webhook delivery, it
 * lists every way the document does not describe it. An operation the document lacks, a status it
 * does not list, a required header missing, a header it does not declare, a body its schema refuses:
 * each is a violation. The schemas are checked by networknt's validator in its OpenAPI 3.1 dialect,
 * against the document itself, so their {@code $ref}s resolve within it.
 */
final class OpenApiContract {
    static final Path DOCUMENT = Path.of("api", "openapi.json");
    /** The document's base IRI for the validator; nothing is fetched from it. */
    private static final String BASE = "https://api.creativeai.run/openapi.json";
    /**
     * Headers of the HTTP framing and of API Gateway itself, which every response may carry and the
     * document leaves to HTTP: the body's media type is checked against {@code content} instead.
     */
    private static final Set<String> TRANSPORT_HEADERS = Set.of("content-type", "content-length", "date", "connection",
            "keep-alive", "transfer-encoding", "server", "apigw-requestid");
    /** The document's extension that says what a request matching none of its operations is answered. */
    static final String UNMATCHED_ROUTE = "x-unmatched-route";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile OpenApiContract shared;

    private final JsonNode document;
    private final SchemaRegistry schemas;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    /** Path templates, most literal segments first: {@code /v1/generations/batch} before {@code /v1/generations/{id}}. */
    private final List<PathTemplate> paths;

    private record PathTemplate(String template, Pattern pattern, long literals) {
    }

    /** A node of the document and its JSON pointer, which the validator uses to find its schemas. */
    private record Located(JsonNode node, String pointer) {
        Located at(String... names) {
            JsonNode current = node;
            StringBuilder where = new StringBuilder(pointer);
            for (String name : names) {
                current = current.isArray() ? current.path(Integer.parseInt(name)) : current.path(name);
                where.append('/').append(name.replace("~", "~0").replace("/", "~1"));
            }
            return new Located(current, where.toString());
        }

        boolean exists() {
            return !node.isMissingNode();
        }
    }

    OpenApiContract(JsonNode document) {
        this.document = document;
        String text;
        try {
            text = JSON.writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(BASE, text)));
        List<PathTemplate> templates = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(template -> {
            String regex = "\\Q" + template.replaceAll("\\{[^/}]+\\}", "\\\\E[^/]+\\\\Q") + "\\E";
            long literals = java.util.Arrays.stream(template.split("/")).filter(s -> !s.startsWith("{")).count();
            templates.add(new PathTemplate(template, Pattern.compile(regex), literals));
        });
        templates.sort(Comparator.comparingLong(PathTemplate::literals).reversed());
        this.paths = List.copyOf(templates);
    }

    /** The repository's document, read and its schemas compiled once per test run. */
    static OpenApiContract shared() {
        if (shared == null) {
            synchronized (OpenApiContract.class) {
                if (shared == null) {
                    OpenApiContract contract = of(LocalCloudExtension.projectRoot().resolve(DOCUMENT));
                    // Compiled now, once: not in the first test's requests, which may be racing for time.
                    List<String> broken = contract.unresolvedReferences();
                    if (!broken.isEmpty()) {
                        throw new IllegalStateException(DOCUMENT + " does not hold together: " + broken);
                    }
                    shared = contract;
                }
            }
        }
        return shared;
    }

    static OpenApiContract of(Path file) {
        try {
            return new OpenApiContract(JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    JsonNode document() {
        return document;
    }

    /**
     * Fails, naming every violation, when {@code response} is an answer of the API at {@code base} (its
     * host and port, outside the local cloud's own {@code /_local} pages) that the document does not
     * describe; {@code body} is its body as text.
     */
    static void requireDescribed(URI base, HttpResponse<?> response, String body) {
        URI uri = response.request().uri();
        boolean api = base.getHost().equals(uri.getHost()) && base.getPort() == uri.getPort()
                && !uri.getRawPath().startsWith("/_local/") && !uri.getRawPath().equals("/_local");
        if (!api) {
            return;
        }
        List<String> violations = shared().violations(response.request().method(), uri.getRawPath(),
                response.statusCode(), response.headers().map(), body);
        if (!violations.isEmpty()) {
            throw new AssertionError("the API answered what " + DOCUMENT + " does not describe:\n  "
                    + String.join("\n  ", violations));
        }
    }

    /**
     * How the response to {@code method rawPath} departs from the document: empty when it describes
     * it. {@code headers} by name as received (any case), each with its values.
     */
    List<String> violations(String method, String rawPath, int status, Map<String, List<String>> headers, String body) {
        String request = method + " " + rawPath;
        Optional<Located> operation = operation(method, rawPath);
        Located unmatched = new Located(document, "").at(UNMATCHED_ROUTE);
        if (operation.isEmpty() && !unmatched.exists()) {
            return List.of(request + ": the document has no operation " + method + " for this path");
        }
        // A route the document does not have gets what it says API Gateway answers then.
        Located responses = operation.orElse(unmatched).at("responses");
        Located response = responses.at(Integer.toString(status));
        if (!response.exists()) {
            response = responses.at(status / 100 + "XX");
        }
        if (!response.exists()) {
            return List.of(request + " -> " + status + ": the document lists no " + status + " for "
                    + (operation.isPresent() ? "this operation" : "a route it does not have (" + UNMATCHED_ROUTE + ")")
                    + "; it lists " + fieldNames(responses.node()));
        }
        response = resolve(response);
        String where = request + " -> " + status;
        List<String> found = new ArrayList<>();
        found.addAll(headerViolations(where, response.at("headers"), headers));
        found.addAll(bodyViolations(where, response.at("content"), first(headers, "content-type"), body));
        return found;
    }

    /**
     * How a webhook delivery departs from the document's {@code webhooks}: the one whose body schema
     * the event's {@code type} selects, with its required headers.
     */
    List<String> webhookViolations(Map<String, List<String>> headers, String body) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (IOException e) {
            return List.of("webhook: the body is not JSON: " + clip(body));
        }
        String type = parsed.path("type").asText("");
        // A job's start has its own webhook, each other event of a family one for all its types.
        String family = type.contains(".") ? type.substring(0, type.indexOf('.')) : "";
        String name = switch (family) {
            case "generation", "training" -> type.equals(family + ".started") ? family + ".started" : family + ".ended";
            case "workflow" -> "workflow.ended";
            case "status" -> "status.notice";
            default -> "";
        };
        Located webhook = new Located(document, "").at("webhooks", name, "post");
        if (name.isEmpty() || !webhook.exists()) {
            return List.of("webhook " + type + ": the document describes no webhook for this event type");
        }
        String where = "webhook " + type;
        List<String> found = new ArrayList<>();
        Map<String, List<String>> byName = lowerCased(headers);
        Located parameters = webhook.at("parameters");
        for (int i = 0; i < parameters.node().size(); i++) {
            Located parameter = resolve(parameters.at(Integer.toString(i)));
            if (!parameter.node().path("in").asText().equals("header")) {
                continue;
            }
            String header = parameter.node().path("name").asText();
            List<String> values = byName.get(header.toLowerCase(Locale.ROOT));
            if (values == null) {
                if (parameter.node().path("required").asBoolean(false)) {
                    found.add(where + ": required header " + header + " is missing");
                }
                continue;
            }
            found.addAll(valueViolations(where + ": header " + header, parameter.at("schema"), values));
        }
        found.addAll(bodyViolations(where, webhook.at("requestBody", "content"), first(headers, "content-type"), body));
        return found;
    }

    /** Every schema of the document compiles, and every {@code $ref} in it resolves: empty when so. */
    List<String> unresolvedReferences() {
        List<String> found = new ArrayList<>();
        refs(new Located(document, ""), found);
        document.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
            try {
                schema("/components/schemas/" + name).validate(JSON.nullNode());
            } catch (RuntimeException e) {
                found.add("#/components/schemas/" + name + " does not compile: " + e.getMessage());
            }
        });
        return found;
    }

    /** Every example of a media type (a response's or a request's body) is one its schema accepts: empty when so. */
    List<String> exampleViolations() {
        List<String> found = new ArrayList<>();
        examples(new Located(document, ""), found);
        return found;
    }

    private void examples(Located at, List<String> found) {
        if (at.node().isObject() && at.node().has("schema") && at.node().has("examples")
                && at.node().get("examples").isObject()) {
            Located schema = at.at("schema");
            at.node().get("examples").fieldNames().forEachRemaining(name -> {
                Located example = at.at("examples", name, "value");
                for (Error error : schema(schema.pointer()).validate(example.node())) {
                    found.add(example.pointer() + " " + error.getInstanceLocation() + ": " + error.getMessage());
                }
            });
        }
        if (at.node().isContainerNode()) {
            List<String> names = at.node().isArray() ? java.util.stream.IntStream.range(0, at.node().size())
                    .mapToObj(Integer::toString).toList() : fieldNames(at.node());
            names.forEach(name -> examples(at.at(name), found));
        }
    }

    private void refs(Located at, List<String> found) {
        JsonNode ref = at.node().get("$ref");
        if (ref != null && ref.isTextual()) {
            String target = ref.asText();
            if (!target.startsWith("#/") || document.at(target.substring(1)).isMissingNode()) {
                found.add(at.pointer() + ": $ref " + target + " resolves to nothing in the document");
            }
        }
        if (at.node().isObject()) {
            at.node().fieldNames().forEachRemaining(name -> refs(at.at(name), found));
        } else if (at.node().isArray()) {
            for (int i = 0; i < at.node().size(); i++) {
                refs(at.at(Integer.toString(i)), found);
            }
        }
    }

    private Optional<Located> operation(String method, String rawPath) {
        for (PathTemplate template : paths) {
            if (template.pattern().matcher(rawPath).matches()) {
                Located operation = new Located(document, "").at("paths", template.template(),
                        method.toLowerCase(Locale.ROOT));
                // Like a router: the most literal template that matches decides, whatever its methods.
                return operation.exists() ? Optional.of(operation) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Follows {@code $ref}s (to {@code #/...}) until a node that is not one. */
    private Located resolve(Located at) {
        Located current = at;
        for (int hops = 0; current.node().has("$ref"); hops++) {
            if (hops > 16) {
                throw new IllegalStateException("a $ref cycle at " + at.pointer());
            }
            String pointer = current.node().get("$ref").asText().substring(1);
            current = new Located(document.at(pointer), pointer);
        }
        return current;
    }

    private List<String> headerViolations(String where, Located declared, Map<String, List<String>> received) {
        List<String> found = new ArrayList<>();
        Map<String, List<String>> byName = lowerCased(received);
        Map<String, String> declaredNames = new LinkedHashMap<>();
        declared.node().fieldNames().forEachRemaining(name -> declaredNames.put(name.toLowerCase(Locale.ROOT), name));
        declaredNames.forEach((lower, name) -> {
            Located header = resolve(declared.at(name));
            List<String> values = byName.get(lower);
            if (values == null) {
                if (header.node().path("required").asBoolean(false)) {
                    found.add(where + ": required header " + name + " is missing");
                }
                return;
            }
            found.addAll(valueViolations(where + ": header " + name, header.at("schema"), values));
        });
        byName.keySet().stream().filter(name -> !declaredNames.containsKey(name) && !TRANSPORT_HEADERS.contains(name))
                .sorted().forEach(name -> found.add(where + ": header " + name + " is not declared for this response ("
                        + String.join(", ", byName.get(name)) + ")"));
        return found;
    }

    private List<String> valueViolations(String where, Located schema, List<String> values) {
        if (!schema.exists()) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        for (String value : values) {
            for (Error error : schema(schema.pointer()).validate(TextNode.valueOf(value))) {
                found.add(where + " '" + value + "': " + error.getMessage());
            }
        }
        return found;
    }

    private List<String> bodyViolations(String where, Located content, Optional<String> contentType, String body) {
        if (!content.exists() || content.node().isEmpty()) {
            return body == null || body.isEmpty() ? List.of()
                    : List.of(where + ": the document describes no body, and one came: " + clip(body));
        }
        if (contentType.isEmpty()) {
            return List.of(where + ": no Content-Type; the document describes " + fieldNames(content.node()));
        }
        String mediaType = contentType.get().split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Located media = content.at(mediaType);
        if (!media.exists()) {
            return List.of(where + ": Content-Type " + contentType.get() + " is not among " + fieldNames(content.node()));
        }
        Located schema = media.at("schema");
        if (!schema.exists()) {
            return List.of();
        }
        JsonNode value;
        if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            try {
                value = JSON.readTree(body == null ? "" : body);
            } catch (IOException e) {
                return List.of(where + ": the body is not JSON: " + clip(body));
            }
            if (value == null || value.isMissingNode()) {
                return List.of(where + ": the body is empty");
            }
        } else {
            value = TextNode.valueOf(body == null ? "" : body);
        }
        List<String> found = new ArrayList<>();
        for (Error error : schema(schema.pointer()).validate(value)) {
            found.add(where + ": body " + error.getInstanceLocation() + ": " + error.getMessage());
        }
        if (!found.isEmpty()) {
            found.add(where + ": the body was " + clip(body));
        }
        return found;
    }

    private Schema schema(String pointer) {
        return compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(BASE + "#" + p)));
    }

    private static Map<String, List<String>> lowerCased(Map<String, List<String>> headers) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        headers.forEach((name, values) -> byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        return byName;
    }

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        return lowerCased(headers).getOrDefault(name, List.of()).stream().findFirst();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }
}
