package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The answer of {@code POST /v1/generations/batch}: one result per task, in order, each admitted (a
 * job) or refused (the error its own route would have answered, as a value: one refused task does not
 * fail the others).
 */
public record BatchResult(List<Task> results, int admitted, int refused, boolean replayed, JsonNode json) {

    /** One task's outcome: {@code status} is what its own route would have answered (202, 400, 429, ...). */
    public record Task(int index, int status, Optional<Generation> job, Optional<ApiError> error) {

        public boolean admitted() {
            return job.isPresent();
        }

        /** The job, or the task's refusal thrown as its family's exception. */
        public Generation jobOrThrow() {
            return job.orElseThrow(() -> error.orElseThrow().toException());
        }
    }

    private static final java.net.http.HttpHeaders NO_HEADERS = java.net.http.HttpHeaders.of(java.util.Map.of(), (n, v) -> true);

    static BatchResult of(JsonNode node, boolean replayed) {
        List<Task> tasks = Json.list(node, "results", r -> {
            int status = r.path("status").asInt();
            return r.path("job").isObject()
                    ? new Task(r.path("index").asInt(), status, Optional.of(Generation.of(r.path("job"), replayed)),
                            Optional.empty())
                    : new Task(r.path("index").asInt(), status, Optional.empty(),
                            Optional.of(ApiError.of(status, r, Optional.empty(), RateLimit.of(NO_HEADERS, r, java.time.Clock.systemUTC()))));
        });
        return new BatchResult(tasks, node.path("admitted").asInt(), node.path("refused").asInt(), replayed, node);
    }
}
