package run.creativeai.local.services;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Asks a freshly started AWS-compatible service for something real (an AWS JSON protocol call) and
 * waits until it answers 200: a port that accepts connections is not yet a service that works, as
 * when its data directory is locked by another instance.
 */
final class ServiceProbe {
    /**
     * How long a service may take to give its first answer: a second or two on an idle machine, but
     * its first calls load and compile much of it, which on a machine loaded many times over its
     * cores took more than 20 s. A service that answers with errors is given up on much sooner.
     */
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private ServiceProbe() {
    }

    static void awaitAnswer(String service, URI endpoint, String target, String contentType) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(START_LIMIT);
        Instant firstError = null;
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(5))
                        .header("X-Amz-Target", target)
                        .header("Content-Type", contentType)
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/probe/aws4_request, "
                                + "SignedHeaders=host, Signature=0")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
                // A service that answers, but with errors, is not going to come right by waiting long.
                firstError = firstError == null ? Instant.now() : firstError;
                if (Duration.between(firstError, Instant.now()).compareTo(Duration.ofSeconds(3)) > 0) {
                    break;
                }
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(service + " start was interrupted", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(service + " start was interrupted", e);
            }
        }
        throw new IllegalStateException(service + " does not work (" + last
                + "); is another local cloud using the same --data directory?");
    }
}
