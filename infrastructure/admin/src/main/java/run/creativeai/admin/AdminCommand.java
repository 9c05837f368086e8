package run.creativeai.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.creativeai.gateway.json.Json;
import run.creativeai.template.Template;

/**
 * What every administration command shares: the {@code --local URL | --stack NAME [--region R]}
 * options, the environment they lead to (the local cloud's, or the deployed stack's resolved from
 * template.yaml), and how failures are reported. Exit status: 0 done, 1 refused or failed, 2 usage.
 */
final class AdminCommand {
    /** A command, given the environment and its own arguments; answers its exit status. */
    @FunctionalInterface
    interface Body {
        int run(Map<String, String> environment, List<String> args) throws InterruptedException;
    }

    private AdminCommand() {
    }

    static int run(String[] args, String usage, PrintStream out, PrintStream err, Body body) {
        String local = "http://127.0.0.1:3000";
        Optional<String> stack = Optional.empty();
        Optional<String> region = Optional.ofNullable(System.getenv("AWS_REGION"));
        Path template = Path.of("template.yaml");
        Optional<Path> stackDescription = Optional.empty();
        Optional<Path> stackResources = Optional.empty();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (arg) {
                case "--local" -> local = hasValue ? args[++i] : null;
                case "--stack" -> stack = Optional.ofNullable(hasValue ? args[++i] : null);
                case "--region" -> region = Optional.ofNullable(hasValue ? args[++i] : null);
                case "--template" -> template = hasValue ? Path.of(args[++i]) : null;
                case "--stack-description" -> stackDescription = Optional.ofNullable(hasValue ? Path.of(args[++i]) : null);
                case "--stack-resources" -> stackResources = Optional.ofNullable(hasValue ? Path.of(args[++i]) : null);
                case "-h", "--help" -> {
                    out.print(usage);
                    return 0;
                }
                default -> rest.add(arg);
            }
            if (!hasValue && arg.startsWith("--")) {
                err.println(arg + " needs a value");
                err.print(usage);
                return 2;
            }
        }
        try {
            Map<String, String> env;
            if (stack.isPresent()) {
                if (region.isEmpty()) {
                    err.println("--stack needs --region or AWS_REGION");
                    return 2;
                }
                if (stackDescription.isEmpty() || stackResources.isEmpty()) {
                    err.println("--stack needs --stack-description and --stack-resources (the script passes them)");
                    return 2;
                }
                env = StackEnvironment.ofStack(Template.load(template), Json.read(Files.readString(stackDescription.get())),
                        Json.read(Files.readString(stackResources.get())), stack.get(), region.get());
            } else {
                env = localEnvironment(URI.create(local));
            }
            return body.run(env, rest);
        } catch (IllegalArgumentException | IllegalStateException | run.creativeai.gateway.config.ConfigurationException e) {
            err.println(e.getMessage());
            return 1;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            // Credentials, permissions, a table from before its index existed (a local --data directory).
            err.println("AWS refused: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println(stack.isPresent() ? "could not read the stack: " + e.getMessage()
                    : "could not reach " + local + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                            : e.getMessage()) + " (is infrastructure/local/run running?)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** What a local cloud gives its own administration, from its {@code /_local/admin/environment} route. */
    static Map<String, String> localEnvironment(URI cloud) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(cloud.resolve("/_local/admin/environment"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + cloud + "/_local/admin/environment");
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = Json.read(response.body());
        node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
