package run.creativeai.gateway.function.ingress;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.HttpEvents;
import run.creativeai.gateway.adapters.lambda.HttpFunction;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.wiring.IngressWiring;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.config.FunctionEnvironment;

/**
 * The API function: every HttpApi route of template.yaml arrives here and is answered by {@link GatewayApi}.
 */
public final class IngressHandler extends HttpFunction {
    /** Rounds of priming: the later two get more of an admission compiled before the snapshot (Priming). */
    private static final int PRIMING_ROUNDS = 3;
    private final GatewayApi api;
    private final Runnable rehearsal;
    private final Clock clock;

    /** Lambda's entry: the process environment. */
    public IngressHandler() {
        this(System.getenv());
    }

    /** The local runtime's entry: the environment template.yaml gives this function. */
    public IngressHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    IngressHandler(Components components) {
        super(PRIMING_ROUNDS);
        this.clock = components.clock();
        IngressWiring wiring = new IngressWiring(components);
        this.api = wiring.api();
        this.rehearsal = wiring.rehearsal();
    }

    /**
     * A request with a key that does not exist (routing, authentication, an error's rendering), then an
     * admission's writes, rehearsed so they change nothing (IngressWiring#rehearsal).
     */
    @Override
    protected void prime() {
        handleRequest(Priming.http(GatewayApi.GET_QUOTA, Map.of(), Map.of("authorization", "Bearer sk-priming-not-a-key"),
                null), null);
        rehearsal.run();
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        try {
            return HttpEvents.toEvent(api.handle(HttpEvents.toRequest(event, clock)));
        } catch (HttpEvents.MalformedBody e) {
            return HttpEvents.toEvent(api.refuse(e.withoutBody(), ApiError.invalidRequest("invalid_body", e.getMessage())));
        }
    }
}
