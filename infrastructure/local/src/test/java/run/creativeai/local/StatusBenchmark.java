package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What one call of the public {@code GET /v1/status} costs: its latency over HTTP through the local
 * API Gateway, and the AWS requests the API function makes for it (captured on its own threads),
 * priced at {@link CostModel#US_EAST_1}. The route serves a document published when state changes,
 * read by each instance at most once a second, so its cost is the HTTP API and Lambda request and
 * not DynamoDB's.
 */
@ExtendWith(LocalCloudExtension.class)
class StatusBenchmark {
    private static final int WARM_UP = 50;
    private static final int CALLS = 300;
    private static final String INGRESS = "IngressFunction";

    @Test
    void costAndLatencyOfOnePublicStatusCall(LocalCloud cloud) {
        Api api = new Api(cloud);
        AwsRequestMeter.enable();
        for (int i = 0; i < WARM_UP; i++) {
            call(api);
        }
        Map<String, long[]> before = BenchSupport.functionCounters(cloud);
        AwsRequestMeter.capture("lambda-" + INGRESS);
        List<Long> nanos = new ArrayList<>();
        long bytes = 0;
        long started = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            long t0 = System.nanoTime();
            bytes = call(api).raw().body().length();
            nanos.add(System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<AwsRequestMeter.Captured> captured = AwsRequestMeter.takeCaptured();
        AwsRequestMeter.capture(null);
        Map<String, long[]> after = BenchSupport.functionCounters(cloud);

        Map<String, Integer> byOperation = new TreeMap<>();
        captured.forEach(c -> byOperation.merge(c.service() + "." + c.request().getClass().getSimpleName()
                .replace("Request", ""), 1, Integer::sum));
        long invocations = after.get(INGRESS)[0] - before.get(INGRESS)[0];
        double gbSeconds = CostModel.gbSeconds(after.get(INGRESS)[1] - before.get(INGRESS)[1], (int) after.get(INGRESS)[2]);
        // The document's item, read eventually consistent: half a unit per 4 KB started (the JSON is most of the item).
        double unitsPerRead = Math.ceil(bytes / 4096.0) / 2;
        double reads = byOperation.getOrDefault("DynamoDb.GetItem", 0) / (double) CALLS;
        double writes = byOperation.getOrDefault("DynamoDb.UpdateItem", 0) / (double) CALLS;
        CostModel.Usage usage = new CostModel.Usage(writes, reads * unitsPerRead, 0, invocations / (double) CALLS,
                gbSeconds / CALLS, 1, 0);
        Map<String, Double> dollars = CostModel.US_EAST_1.perMillionJobs(usage);

        Measurements out = new Measurements("status");
        out.line("%d calls of `GET /v1/status` one after another over loopback (after %d to warm up), %.1f calls a second;"
                + " the document is %,d bytes. AWS requests are those the API function made on its own threads during the"
                + " calls; a read is priced at %.1f RRU (eventually consistent, %,d bytes), a counter write at 1 WRU.", CALLS,
                WARM_UP, CALLS / seconds, bytes, unitsPerRead, bytes);
        out.line("");
        out.line("| | p50 | p90 | p99 | max |");
        out.line("|---|---:|---:|---:|---:|");
        out.line("| latency (ms) | %s | %s | %s | %s |", BenchSupport.ms(Measurements.quantile(nanos, 0.5)),
                BenchSupport.ms(Measurements.quantile(nanos, 0.9)), BenchSupport.ms(Measurements.quantile(nanos, 0.99)),
                BenchSupport.ms(Measurements.quantile(nanos, 1.0)));
        out.line("");
        out.line("| per call | Lambda invocations | Lambda GB-s | DynamoDB GetItem | DynamoDB UpdateItem | other AWS requests |"
                + " $ per million calls (API Gateway / Lambda / DynamoDB / total) |");
        out.line("|---|---:|---:|---:|---:|---:|---|");
        int other = captured.size() - byOperation.getOrDefault("DynamoDb.GetItem", 0)
                - byOperation.getOrDefault("DynamoDb.UpdateItem", 0);
        out.line("| `GET /v1/status` | %.2f | %.5f | %.3f | %.3f | %.3f | %.2f / %.2f / %.4f / **%.2f** |",
                invocations / (double) CALLS, gbSeconds / CALLS, reads, writes, other / (double) CALLS,
                dollars.get("API Gateway"), dollars.get("Lambda"), dollars.get("DynamoDB"), dollars.get("total"));
        out.line("");
        out.line("AWS requests of the API function during the calls, by operation: %s.", byOperation.isEmpty() ? "none"
                : byOperation.toString());
        out.save();

        assertThat(invocations).as("every call reached the API function").isEqualTo(CALLS);
    }

    private static Api.Response call(Api api) {
        Api.Response response = api.send(HttpRequest.newBuilder(api.url("/v1/status")).GET());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }
}
