package run.creativeai.gateway.function.ingress;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.util.Map;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.lambda.HttpEvents;
import run.creativeai.gateway.adapters.lambda.Priming;
import run.creativeai.gateway.adapters.lambda.LogContext;
import run.creativeai.gateway.admission.AdmissionService;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.IdempotentRequests;
import run.creativeai.gateway.api.JobWait;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.JobCancellation;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.limits.AdmissionPolicy;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.tenant.Authenticator;
import run.creativeai.gateway.webhook.WebhookRedelivery;
import run.creativeai.gateway.webhook.WebhookSchedule;
import run.creativeai.gateway.webhook.WebhookUrlPolicy;

/** The API function: every HttpApi route of template.yaml arrives here and is answered by {@link GatewayApi}. */
public final class IngressHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final GatewayApi api;
    private final Clock clock;
    private final Priming priming = Priming.register(() -> handleRequest(Priming.http(GatewayApi.GET_QUOTA, Map.of(),
            Map.of("authorization", "Bearer sk-priming-not-a-key"), null), null));
    private final LogContext log = new LogContext();

    /** Lambda's entry: the process environment. */
    public IngressHandler() {
        this(System.getenv());
    }

    /** The local runtime's entry: the environment template.yaml gives this function. */
    public IngressHandler(Map<String, String> environment) {
        this(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    IngressHandler(Components components) {
        this.clock = components.clock();
        this.api = api(components);
    }

    static GatewayApi api(Components c) {
        PlanCatalog plans = c.plans();
        ModelCatalog models = c.models();
        JobStore jobs = c.jobStore();
        AdmissionService admissions = new AdmissionService(new AdmissionPolicy(), c.limiter(), jobs, c.jobQueue(),
                models, c.queueBackpressure(), IdSource.random(c.clock()), c.clock());
        TenantConcurrency concurrency = c.tenantConcurrency(plans, models);
        JobCancellation cancellation = new JobCancellation(jobs, concurrency, c.jobEndings(), c.cancelQueue(), c.clock());
        WebhookUrlPolicy webhookUrls = c.webhookUrlPolicy();
        return new GatewayApi(new Authenticator(c.apiKeyHasher(), c.apiKeyDirectory(), plans),
                new GenerationRequestParser(models, webhookUrls), admissions,
                concurrency, jobs, models, c.clock(), c.region(),
                new WebhookRedelivery(c.webhookQueue(), WebhookSchedule.standard(), webhookUrls), cancellation,
                JobWait.sleeping(jobs, c.clock()),
                new IdempotentRequests(c.idempotencyStore(), IdSource.random(c.clock()), c.clock()));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try (LogContext.Invocation invocation = log.begin(context)) {
            return HttpEvents.toEvent(api.handle(HttpEvents.toRequest(event, clock)));
        } catch (HttpEvents.MalformedBody e) {
            return HttpEvents.toEvent(api.refuse(e.withoutBody(), ApiError.invalidRequest("invalid_body", e.getMessage())));
        }
    }
}
