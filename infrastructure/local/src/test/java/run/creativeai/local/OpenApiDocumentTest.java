package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;

/**
 * {@code api/openapi.json} is a valid OpenAPI 3.1 document, checked by {@code openapi-spec-validator}
 * (the OpenAPI Initiative's published 3.1 schema), and describes exactly the routes template.yaml
 * declares: a route added to the template without its operation in the document fails here.
 */
class OpenApiDocumentTest {
    private static final Path DOCUMENT = LocalCloudExtension.projectRoot().resolve(OpenApiContract.DOCUMENT);
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void theDocumentValidatesAsOpenApi31() throws IOException {
        Validation result = validate(DOCUMENT);
        assertThat(result.exitCode()).as("openapi-spec-validator %s:%n%s", DOCUMENT, result.output()).isZero();
        assertThat(OpenApiContract.shared().document().path("openapi").asText()).startsWith("3.1.");
    }

    @Test
    void theValidatorRefusesADocumentThatIsNotValid(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("openapi.json"), Files.readString(DOCUMENT)
                .replaceFirst("\"in\": \"path\"", "\"in\": \"body\""));
        Validation result = validate(broken);
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("body");
    }

    /**
     * The API's routes are the template's HttpApi routes; an operation on a server of its own is a
     * function's URL, and only the callbacks function has one (the route its handler matches itself).
     */
    @Test
    void theDocumentDescribesExactlyTheRoutesTheTemplateDeclares() throws IOException {
        Template template = Template.load(LocalCloudExtension.projectRoot().resolve("template.yaml"));
        Set<String> declared = new TreeSet<>();
        SamFunction.all(template).forEach(f -> f.routes().forEach(r -> declared.add(r.routeKey())));
        Set<String> described = new TreeSet<>();
        Set<String> onFunctionUrls = new TreeSet<>();
        JsonNode paths = OpenApiContract.shared().document().path("paths");
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                boolean ownServer = path.getValue().has("servers") || path.getValue().path(method).has("servers");
                (ownServer ? onFunctionUrls : described).add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(described).isEqualTo(declared);
        assertThat(onFunctionUrls).containsExactly(CallbackUrls.ROUTE_KEY);
        assertThat(SamFunction.all(template).stream().filter(f -> f.url().isPresent()).map(SamFunction::logicalId))
                .containsExactly("ProviderCallbackFunction");
        assertThat(paths.path(CallbackUrls.ROUTE_KEY.substring("POST ".length())).path("servers").path(0).path("url")
                .asText()).contains(".lambda-url.");
    }

    private record Validation(int exitCode, String output) {
    }

    /** openapi-spec-validator from PATH; a CI build without it fails, elsewhere the check is skipped, saying so. */
    private static Validation validate(Path document) throws IOException {
        Path output = Files.createTempFile("openapi-spec-validator", ".out");
        try {
            Process process = new ProcessBuilder(List.of("openapi-spec-validator", "--schema", "3.1",
                    document.toAbsolutePath().toString())).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("openapi-spec-validator did not finish within 2 minutes");
            }
            return new Validation(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            String message = "openapi-spec-validator is not on PATH (pip install openapi-spec-validator==0.9.0), so "
                    + "api/openapi.json is not validated";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true: a CI build must validate it)");
            }
            System.err.println("[WARNING] " + message);
            throw new TestAbortedException(message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
