package run.creativeai.gateway.adapters.wiring;

import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.Rehearsals;
import run.creativeai.gateway.adapters.providers.ProviderCallbackVerifiers;
import run.creativeai.gateway.adapters.providers.ProviderHttp;
import run.creativeai.gateway.api.ProviderCallbacks;
import run.creativeai.gateway.model.ModelCatalog;

/**
 * The provider callback function's parts, built once per container: callbacks verified in the scheme
 * of each provider's protocol, prompting progress checks on the dispatcher's queue.
 */
public final class CallbackWiring {
    private final ProviderCallbacks callbacks;
    private final Runnable rehearsal;

    public CallbackWiring(Components c) {
        String secret = c.environment().required(Components.PROVIDER_WEBHOOK_SECRETS);
        this.callbacks = new ProviderCallbacks(new ProviderCallbackVerifiers(ModelCatalog.defaults(),
                () -> c.secrets().value(secret), ProviderHttp.standard()), Adapters.progressQueue(c), c.clock());
        // The queues' client is built at the first accepted callback's send; a priming builds it and sends
        // as that callback does, to a queue that does not exist.
        String progressQueue = c.environment().required(Components.PROGRESS_QUEUE_URL);
        this.rehearsal = () -> Rehearsals.sendToAbsentQueue(c.sqs(), progressQueue);
    }

    /** What priming runs beside an unsigned callback ({@link Rehearsals}). */
    public Runnable rehearsal() {
        return rehearsal;
    }

    public ProviderCallbacks callbacks() {
        return callbacks;
    }
}
