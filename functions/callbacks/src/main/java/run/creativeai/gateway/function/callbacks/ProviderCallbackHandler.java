package run.creativeai.gateway.function.callbacks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.HttpEvents;
import run.creativeai.gateway.adapters.lambda.HttpFunction;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.wiring.CallbackWiring;
import run.creativeai.gateway.api.ProviderCallbacks;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.dispatch.CallbackUrls;
import run.creativeai.gateway.job.JobId;

/**
 * The provider callback function: a provider announcing the end of an attempt prompts an immediate
 * progress check. Its own function, on its own function URL, so the public callback endpoint holds
 * only the providers' callback verification material and the right to queue progress checks.
 */
public final class ProviderCallbackHandler extends HttpFunction {
    private final ProviderCallbacks callbacks;
    private final Runnable rehearsal;
    private final Clock clock;

    public ProviderCallbackHandler() {
        this(System.getenv());
    }

    public ProviderCallbackHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    ProviderCallbackHandler(Components c) {
        this.clock = c.clock();
        CallbackWiring wiring = new CallbackWiring(c);
        this.callbacks = wiring.callbacks();
        this.rehearsal = wiring.rehearsal();
    }

    /**
     * An unsigned callback (verified, and refused 401), then the progress check an accepted one sends,
     * to a queue that does not exist.
     */
    @Override
    protected void prime() {
        handleRequest(Priming.functionUrl("POST", CallbackUrls.path("sdxl", JobId.parse(Priming.NO_JOB).orElseThrow(), 1),
                Map.of(), "{}"), null);
        rehearsal.run();
    }

    @Override
    protected APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event) {
        // Its function URL invokes it for every method and path; the callbacks answer what is not their route.
        return HttpEvents.toEvent(callbacks.handle(HttpEvents.toRequest(event, CallbackUrls.ROUTE_KEY, clock)));
    }
}
