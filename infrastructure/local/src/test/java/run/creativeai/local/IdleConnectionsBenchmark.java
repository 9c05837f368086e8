package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.testing.LocalhostCertificate;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A warm instance's call after a pause longer than the JDK's own keep-alive time (5 s), with the
 * template's JVM options ({@code -Dhttp.keepAlive.time.server}) and without that one option: two
 * JVMs side by side ({@link IdleConnectionProbe}), each calling DynamoDB Local over TLS through a
 * relay of its own on loopback that counts the connections it accepts, as a function on Lambda calls
 * its endpoints over TLS. On loopback a new connection costs its handshakes' CPU and no network round
 * trip; on AWS the round trips come on top.
 */
@ExtendWith(LocalCloudExtension.class)
class IdleConnectionsBenchmark {
    private static final int ROUNDS = Integer.getInteger("idle-connections.rounds", 10);
    /** Past the JDK's 5 s, short of the template's time: a quiet tenant's next request, a progress check. */
    private static final long PAUSE_MS = 6_000;
    private static final String KEEP_ALIVE = "-Dhttp.keepAlive.time.server=";

    @Test
    void aWarmCallAfterAPauseWithAndWithoutTheTemplatesKeepAliveTime(LocalCloud cloud) throws Exception {
        Template template = Template.load(Path.of(System.getProperty("project.root"), "template.yaml"));
        List<String> templateOptions = List.of(String.valueOf(SamFunction.all(template).get(0).environment()
                .get("JAVA_TOOL_OPTIONS")).split("\\s+"));
        assertThat(templateOptions).as("the option under test").anyMatch(o -> o.startsWith(KEEP_ALIVE));
        List<String> jdkDefault = templateOptions.stream().filter(o -> !o.startsWith(KEEP_ALIVE)).toList();

        FunctionEnvironment env = FunctionEnvironment.of(cloud.runtime().function("DispatcherFunction").environment());
        String table = env.required(Components.STATUS_TABLE);
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(env)) {
            dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("bench#idle-connections"),
                    "sk", AttributeValue.fromS("item"))));
        }
        Map<String, String> aws = cloud.services().awsEnvironment();
        URI dynamoDb = URI.create(aws.get("AWS_ENDPOINT_URL_DYNAMODB"));

        ExecutorService probes = Executors.newFixedThreadPool(2);
        try (TlsRelay withoutOption = new TlsRelay(dynamoDb); TlsRelay withOption = new TlsRelay(dynamoDb)) {
            Future<List<long[]>> without = probes.submit(() -> probe(aws, withoutOption, jdkDefault, table));
            Future<List<long[]>> with = probes.submit(() -> probe(aws, withOption, templateOptions, table));
            List<long[]> withoutRounds = without.get();
            List<long[]> withRounds = with.get();

            Measurements out = new Measurements("idle-connections");
            out.line("Two JVMs side by side (`java %s -XX:+UseSerialGC`, the one without the template's `%s...`), each a"
                    + " warm instance (%d consistent `GetItem`s first, through the client the functions build) calling"
                    + " DynamoDB Local over TLS (EC P-256 certificate, through a relay on loopback of its own that"
                    + " counts the connections it accepts); then %d rounds of a %d s pause, a call, and a call at once"
                    + " after it. Milliseconds.", String.join(" ", templateOptions), KEEP_ALIVE, IdleConnectionProbe.WARM_UP, ROUNDS,
                    PAUSE_MS / 1000);
            out.line("");
            out.line("| JVM options | connections opened | call after the pause: p50 | max | the call after it: p50 |");
            out.line("|---|---:|---:|---:|---:|");
            row(out, "the JDK's keep-alive time (5 s)", withoutOption.accepted(), withoutRounds);
            row(out, "the template's (`" + templateOptions.stream().filter(o -> o.startsWith(KEEP_ALIVE)).findFirst()
                    .orElseThrow() + "`)", withOption.accepted(), withRounds);
            out.save();

            assertThat(withRounds).hasSize(ROUNDS);
            assertThat(withoutRounds).hasSize(ROUNDS);
            assertThat(withoutOption.accepted()).as("the JDK's own time: a new connection after every pause")
                    .isEqualTo(ROUNDS + 1);
            assertThat(withOption.accepted()).as("the template's: the warm-up's connection, all along").isEqualTo(1);
        } finally {
            probes.shutdownNow();
        }
    }

    private static void row(Measurements out, String name, int connections, List<long[]> rounds) {
        List<Long> afterPause = rounds.stream().map(r -> r[0]).toList();
        List<Long> next = rounds.stream().map(r -> r[1]).toList();
        out.line("| %s | %d | %s | %s | %s |", name, connections, BenchSupport.ms(Measurements.quantile(afterPause, 0.5), 2),
                BenchSupport.ms(Measurements.quantile(afterPause, 1.0), 2), BenchSupport.ms(Measurements.quantile(next, 0.5), 2));
    }

    private static List<long[]> probe(Map<String, String> aws, TlsRelay relay, List<String> options, String table)
            throws Exception {
        List<String> jvm = new ArrayList<>(options);
        jvm.addAll(List.of("-XX:+UseSerialGC",
                "-Djavax.net.ssl.trustStore=" + LocalhostCertificate.store(), "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=" + LocalhostCertificate.PASSWORD));
        Map<String, String> environment = new HashMap<>(aws);
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", "https://localhost:" + relay.port());
        BenchSupport.ProbeRun run = BenchSupport.probe(jvm, IdleConnectionProbe.class, environment, table,
                String.valueOf(ROUNDS), String.valueOf(PAUSE_MS));
        assertThat(run.exit()).as(run.output()).isZero();
        return run.lines("ROUND").stream().map(round -> new long[] {Long.parseLong(round.get("after_pause_ns")),
                Long.parseLong(round.get("next_ns"))}).toList();
    }

    /** TLS on loopback in front of a plain HTTP service, counting the connections it accepts. */
    private static final class TlsRelay implements AutoCloseable {
        private final URI target;
        private final SSLServerSocket server;
        private final AtomicInteger accepted = new AtomicInteger();
        private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tls-relay");
            t.setDaemon(true);
            return t;
        });

        TlsRelay(URI target) throws IOException {
            this.target = target;
            this.server = (SSLServerSocket) LocalhostCertificate.serverContext().getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            threads.execute(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    accepted.incrementAndGet();
                    Socket upstream = new Socket(target.getHost(), target.getPort());
                    // Each chunk on as it comes: Nagle's wait for an acknowledgement would add 40 ms a call.
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    threads.execute(() -> pump(client, upstream));
                    threads.execute(() -> pump(upstream, client));
                } catch (IOException e) {
                    // Closed, or one connection failed: the probe's call fails and says so.
                }
            }
        }

        private static void pump(Socket from, Socket to) {
            try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // Either side closed: the other goes with it.
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}
