package run.creativeai.local.runtime;

import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.local.services.LocalServices;
import run.creativeai.template.Intrinsics;
import run.creativeai.template.SamFunction;
import run.creativeai.template.Template;
import run.creativeai.template.TemplateException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs template.yaml against the local services: creates its tables, queues, buckets and secrets, starts
 * every function with the environment the template gives it (plus what Lambda itself sets and the
 * local endpoints), serves its HttpApi routes and function URLs on localhost, polls its SQS event sources and runs its
 * Schedule events once {@link #start() started}. The
 * template is the only list of what exists; nothing here names a table, queue or function.
 */
public final class TemplateRuntime implements AutoCloseable {
    private final CloudResources resources;
    private final Map<String, FunctionHost> functions = new LinkedHashMap<>();
    private final List<QueuePoller> pollers = new ArrayList<>();
    private final Map<String, ScheduleRunner> schedules = new LinkedHashMap<>();
    private final HttpGateway gateway;
    private final List<HttpGateway.Route> routes = new ArrayList<>();
    /** Each function URL's own listener, by the function's logical id. */
    private final Map<String, HttpGateway> functionUrls = new LinkedHashMap<>();
    private final SqsClient sqs;
    private final DynamoDbClient dynamo;
    /** The longest one SQS call of the runtime (a poller's receive, a delete, a send) may wait for its answer. */
    static final Duration SQS_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    private final SecretsManagerClient secrets;
    private final S3Client s3;

    /**
     * @param port               the API's port; 0 picks a free one
     * @param parameterOverrides template parameters to set, as {@code sam deploy --parameter-overrides} does
     * @param mounts             extra handlers served on the API port under their path prefixes
     */
    public TemplateRuntime(Template template, LocalServices services, String stackName, int port,
            Map<String, String> parameterOverrides, Map<String, HttpHandler> mounts) {
        Map<String, String> aws = services.awsEnvironment();
        String region = aws.get("AWS_REGION");
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(aws.get("AWS_ACCESS_KEY_ID"), aws.get("AWS_SECRET_ACCESS_KEY")));
        this.sqs = sqsClient(services.sqsEndpoint(), region, credentials, SQS_ATTEMPT_TIMEOUT);
        this.dynamo = DynamoDbClient.builder().endpointOverride(services.dynamoDbEndpoint()).region(Region.of(region))
                .credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
        this.secrets = SecretsManagerClient.builder().endpointOverride(services.secretsManagerEndpoint())
                .region(Region.of(region)).credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
        // Built as the functions build theirs: a local S3 endpoint takes settings real S3 does not need.
        this.s3 = AwsClients.s3(FunctionEnvironment.of(aws));

        this.gateway = new HttpGateway(port, mounts, services.aws().account());
        // A function URL is a host of its own: here a port of its own, bound before any environment names it.
        List<SamFunction> templateFunctions = SamFunction.all(template);
        Map<String, URI> urls = new LinkedHashMap<>();
        for (SamFunction function : templateFunctions) {
            function.url().ifPresent(url -> {
                HttpGateway listener = new HttpGateway(0, Map.of(), services.aws().account());
                functionUrls.put(function.logicalId(), listener);
                urls.put(url.logicalId(), listener.url());
            });
        }
        this.resources = new CloudResources(template, parameterOverrides, stackName, region, services.aws().account(),
                gateway.url(), urls);
        resources.provision(dynamo, sqs, secrets, s3);

        for (SamFunction function : templateFunctions) {
            String name = stackName + "-" + function.logicalId();
            FunctionHost host = new FunctionHost(function, name, environment(function, name, aws));
            functions.put(function.logicalId(), host);
            function.routes().forEach(route -> routes.add(new HttpGateway.Route(route, host)));
        }
        for (FunctionHost host : functions.values()) {
            for (SamFunction.SqsEventSource source : host.function().queues()) {
                String queueId = source.queueLogicalId().orElseThrow(() -> new TemplateException(host.logicalId()
                        + ": the Queue of event " + source.eventName() + " must be !GetAtt <queue>.Arn"));
                pollers.add(new QueuePoller(sqs, resources.queueUrl(queueId), resources.queueArn(queueId), region, source,
                        host));
            }
        }
        for (FunctionHost host : functions.values()) {
            for (SamFunction.ScheduleEvent schedule : host.function().schedules()) {
                schedules.put(host.logicalId() + "." + schedule.eventName(),
                        new ScheduleRunner(schedule, host, region, services.aws().account()));
            }
        }
    }

    /**
     * Starts serving the API, polling the queues and running the schedules. Until then the
     * resources exist and functions can be invoked directly, but nothing invokes them: what must
     * be in place before the first event (secrets an operator fills after a deploy) goes in first.
     */
    public void start() {
        gateway.start(routes);
        functionUrls.forEach((logicalId, listener) -> listener.startFunctionUrl(functions.get(logicalId)));
        pollers.forEach(QueuePoller::start);
        schedules.values().forEach(ScheduleRunner::start);
    }

    private Map<String, String> environment(SamFunction function, String name, Map<String, String> aws) {
        Map<String, String> env = new LinkedHashMap<>();
        function.environment().forEach((key, value) -> env.put(key, Intrinsics.resolveString(value, resources)));
        env.putAll(aws);
        env.put("AWS_DEFAULT_REGION", aws.get("AWS_REGION"));
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        return env;
    }

    public URI apiUrl() {
        return gateway.url();
    }

    /** Where the function URL of function {@code logicalId} listens. */
    public URI functionUrl(String logicalId) {
        HttpGateway listener = functionUrls.get(logicalId);
        if (listener == null) {
            throw new IllegalArgumentException("no function URL for " + logicalId + " in the template");
        }
        return listener.url().resolve("/");
    }

    public CloudResources resources() {
        return resources;
    }

    public FunctionHost function(String logicalId) {
        FunctionHost host = functions.get(logicalId);
        if (host == null) {
            throw new IllegalArgumentException("no function " + logicalId + " in the template");
        }
        return host;
    }

    /** The schedule of event {@code eventName} of function {@code logicalId}. */
    public ScheduleRunner schedule(String logicalId, String eventName) {
        ScheduleRunner schedule = schedules.get(logicalId + "." + eventName);
        if (schedule == null) {
            throw new IllegalArgumentException("no Schedule event " + eventName + " on " + logicalId + " in the template");
        }
        return schedule;
    }

    public Map<String, FunctionHost> functions() {
        return java.util.Collections.unmodifiableMap(functions);
    }

    /**
     * The runtime's SQS client (the event source mappings' receives and deletes), each attempt bounded
     * by {@code attemptTimeout}, well above the pollers' one-second long polls: a receive ElasticMQ
     * never answers (seen under load, its reply sent to an actor no longer there) is tried again
     * within seconds, where the HTTP client's 30 s socket timeout, three attempts over, stalled a
     * queue's poller for more than a minute.
     */
    static SqsClient sqsClient(URI endpoint, String region, StaticCredentialsProvider credentials,
            Duration attemptTimeout) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(credentials)
                .httpClient(ApacheHttpClient.builder().maxConnections(256).build())
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(attemptTimeout)).build();
    }

    public SqsClient sqs() {
        return sqs;
    }

    public DynamoDbClient dynamoDb() {
        return dynamo;
    }

    public SecretsManagerClient secretsManager() {
        return secrets;
    }

    public S3Client s3() {
        return s3;
    }

    /**
     * Stops in order, losing nothing: first nothing new starts (the API answers 503, schedules stop,
     * event source mappings stop receiving), then every invocation under way finishes (each within
     * its function's timeout), and only then are the functions and clients closed. The services
     * below stay up throughout, so what the last invocations write or send arrives.
     */
    @Override
    public void close() {
        gateway.stopAccepting();
        functionUrls.values().forEach(HttpGateway::stopAccepting);
        schedules.values().forEach(ScheduleRunner::stop);
        pollers.forEach(QueuePoller::stopReceiving);
        // All stopped at once, so these waits overlap: the longest invocation under way bounds them.
        gateway.close();
        functionUrls.values().forEach(HttpGateway::close);
        schedules.values().forEach(ScheduleRunner::close);
        pollers.forEach(QueuePoller::close);
        functions.values().forEach(FunctionHost::close);
        sqs.close();
        dynamo.close();
        secrets.close();
        s3.close();
    }
}
