package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.adapters.AwsClients;

/**
 * Priming: a handler handles one harmless event of its own before its first real one, so the classes
 * of its whole path are loaded, Jackson and the SDK have built their marshallers, the SDK clients
 * have signed a request and opened a connection (the TLS code loaded; the connection itself is then
 * forgotten, see {@link AwsClients#forgetConnections}), and caches (the key pepper, signing secrets)
 * are filled. It runs in CRaC's {@code beforeCheckpoint}, which is where Lambda SnapStart takes its
 * snapshot: the primed state is what every restored instance starts from, and on-demand instances
 * (no snapshot; org.crac is then a no-op) pay nothing. Each handler holds its own priming in a field
 * (one line), since CRaC keeps resources only weakly.
 *
 * <p>A priming event must change nothing: a read with a key that does not exist, a message for a job
 * that does not exist, and {@link Rehearsals} of the writes such an event stops short of. Where that
 * leaves most of a real event's path unwalked (the dispatcher's start of a job it finds, the status
 * function's run), the function walks the whole of it again against a {@link LoopbackStandIn} for
 * AWS and the providers ({@link Rehearsals#againstStandIn}), which no service ever hears of. What even
 * those do not reach (the branches a found job or an admitted request takes) is loaded from a list
 * beside the handler class, {@value #CLASSES}: the classes a real first event of the function loaded
 * in the cold-start benchmark ({@code ColdStartBenchmark} writes it), loaded here without being
 * initialised, so nothing of theirs runs. A class the list names that the jar no longer has is skipped.
 * A priming that fails is logged and forgotten; it never stops a checkpoint.
 */
public final class Priming implements Resource {
    /** A job id of the right form that no job has: what the priming messages name. */
    public static final String NO_JOB = "gen_00000000000000000000000000";
    /**
     * A tenant id of the right form that no tenant has, and its key's: what a priming's admission names
     * (it holds no credits, so the admission is refused and nothing is written).
     */
    public static final String NO_TENANT = "priming-tenant-that-no-tenant-is";
    public static final String NO_KEY = "key_priming0000";
    /** The resource, beside the handler class, naming the classes of a real first event (one a line). */
    public static final String CLASSES = "priming-classes.txt";
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);
    private static final Set<Priming> LIVE = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final Object handler;
    private final int rounds;
    private final Runnable primer;

    private Priming(Object handler, int rounds, Runnable primer) {
        if (rounds < 1) {
            throw new IllegalArgumentException("a priming runs at least once");
        }
        this.handler = handler;
        this.rounds = rounds;
        this.primer = primer;
    }

    /**
     * The handler's priming, registered for the checkpoint; keep the result in a field of the handler
     * ({@code Priming.register(this, () -> handleRequest(...))}).
     */
    public static Priming register(Object handler, Runnable primer) {
        return register(handler, 1, primer);
    }

    /**
     * The same, run {@code rounds} times: the first round loads the path's classes and links its
     * lambdas, and the later ones run it again, so more of it is compiled (C1, at Lambda's
     * {@code TieredStopAtLevel=1}) into the snapshot; a restored instance's first event then runs
     * less of it in the interpreter. Every round changes as little as the first: nothing.
     */
    public static Priming register(Object handler, int rounds, Runnable primer) {
        Priming priming = new Priming(handler, rounds, primer);
        Core.getGlobalContext().register(priming);
        LIVE.add(priming);
        return priming;
    }

    /** The priming {@code handler} registered, if it did. */
    public static Optional<Priming> of(Object handler) {
        synchronized (LIVE) {
            return LIVE.stream().filter(p -> p.handler == handler).findFirst();
        }
    }

    /**
     * Runs every live handler's priming now, as a checkpoint would (what the cold-start benchmark
     * measures); false when one of them failed.
     */
    public static boolean primeAll() {
        List<Priming> all;
        synchronized (LIVE) {
            all = List.copyOf(LIVE);
        }
        boolean whole = true;
        for (Priming priming : all) {
            whole &= priming.prime();
        }
        return whole;
    }

    /** Runs the priming (each of its rounds); false (and a warning) when it failed, which never stops a checkpoint. */
    public boolean prime() {
        try (LogContext.Invocation marked = LogContext.priming()) {
            for (int round = 0; round < rounds; round++) {
                primer.run();
            }
            preload();
            // The connections the priming (and the handler's construction) opened are in the snapshot
            // but not on the host that restores it: the next calls open their own.
            AwsClients.forgetConnections();
            // A full collection now, while nobody waits: it empties the young generation the priming
            // filled and, after the thousands of classes loaded, sets the metadata threshold above what
            // is in use. Without it the collector runs in the first real event instead (a young
            // collection, or a full one when the metadata passes its initial 21 MB): 60-90 ms of it.
            System.gc();
            return true;
        } catch (RuntimeException e) {
            LOG.warn("priming failed; the first event will do its work: {}", e.toString());
            return false;
        }
    }

    /** Loads (without initialising) every class of the handler's list that its class loader can find. */
    private void preload() {
        ClassLoader loader = handler.getClass().getClassLoader();
        try (InputStream list = handler.getClass().getResourceAsStream(CLASSES)) {
            if (list == null) {
                return;
            }
            new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8)).lines()
                    .filter(name -> !name.isBlank())
                    .forEach(name -> {
                        try {
                            Class.forName(name.strip(), false, loader);
                        } catch (ClassNotFoundException | LinkageError e) {
                            // Not in this jar (any more): nothing to load.
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to redo: the SDK clients reconnect on their first call, credentials come from the
        // container credentials endpoint SnapStart provides (AwsClients).
    }

    /** An HTTP API request for {@code routeKey} ("METHOD /path/{param}") as API Gateway delivers it. */
    public static APIGatewayV2HTTPEvent http(String routeKey, Map<String, String> pathParameters,
            Map<String, String> headers, String body) {
        return http(routeKey, routeKey.substring(0, routeKey.indexOf(' ')), routeKey.substring(routeKey.indexOf(' ') + 1),
                pathParameters, headers, body);
    }

    /** A request for {@code method} and {@code rawPath} as a function URL delivers it: route key {@code $default}. */
    public static APIGatewayV2HTTPEvent functionUrl(String method, String rawPath, Map<String, String> headers,
            String body) {
        return http("$default", method, rawPath, null, headers, body);
    }

    private static APIGatewayV2HTTPEvent http(String routeKey, String method, String path,
            Map<String, String> pathParameters, Map<String, String> headers, String body) {
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey(routeKey).withRawPath(path)
                .withPathParameters(pathParameters).withRawQueryString("").withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("priming")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path)
                                .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                        .withTimeEpoch(System.currentTimeMillis()).build())
                .build();
    }

    /** An SQS batch of one message with this body. */
    public static SQSEvent sqs(String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("priming");
        message.setBody(body);
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        message.setMessageAttributes(Map.of());
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }
}
