package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A customer's HTTP client of the local API, as the tests use it. Every answer of the API itself
 * (not of the local cloud's own {@code /_local} pages, nor of storage's presigned URLs) is held to
 * the OpenAPI document: one it does not describe fails the test that received it.
 */
final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    Api(LocalCloud cloud) {
        this.base = cloud.apiUrl();
    }

    URI url(String path) {
        return base.resolve(path);
    }

    Response post(String path, String key, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response delete(String path, String key) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key).DELETE());
    }

    /** A POST with extra request headers, such as {@code Idempotency-Key}. */
    Response post(String path, String key, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    /**
     * An upload as a customer makes one: {@code POST /v1/uploads}, then the PUT of the bytes to the
     * presigned URL it answered, straight to S3. Returns the upload's id.
     */
    String upload(String key, String contentType, byte[] bytes) {
        Response created = post("/v1/uploads", key,
                "{\"content_type\":\"" + contentType + "\",\"size_bytes\":" + bytes.length + "}");
        if (created.status() != 201) {
            throw new AssertionError("upload refused: " + created);
        }
        Response put = send(HttpRequest.newBuilder(URI.create(created.json().path("upload_url").asText()))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (put.status() != 200) {
            throw new AssertionError("the presigned PUT answered " + put);
        }
        return created.json().path("id").asText();
    }

    Response get(String path, String key) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + key).GET());
    }

    Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            OpenApiContract.requireDescribed(base, response, response.body());
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a job until it satisfies {@code done}, and returns it as then read; a status endpoint
     * poll, as a customer without webhooks does, twice a second: within seed 002's 120 reads a
     * minute. Fails with the job as last read if it does not within {@code timeout}.
     */
    JsonNode awaitJob(String id, String key, Predicate<JsonNode> done, Duration timeout) {
        AtomicReference<JsonNode> job = new AtomicReference<>();
        await("job " + id + " reaches the awaited state").atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    job.set(get("/v1/generations/" + id, key).json());
                    assertThat(done.test(job.get())).as("the job as last read: %s", job.get()).isTrue();
                });
        return job.get();
    }

    /** Reads a workflow until it satisfies {@code done}, as {@link #awaitJob} reads a job. */
    JsonNode awaitWorkflow(String id, String key, Predicate<JsonNode> done, Duration timeout) {
        AtomicReference<JsonNode> workflow = new AtomicReference<>();
        await("workflow " + id + " reaches the awaited state").atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    workflow.set(get("/v1/workflows/" + id, key).json());
                    assertThat(done.test(workflow.get())).as("the workflow as last read: %s", workflow.get()).isTrue();
                });
        return workflow.get();
    }

    record Response(HttpResponse<String> raw) {
        int status() {
            return raw.statusCode();
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
