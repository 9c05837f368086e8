package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.adapters.wiring.CallbackWiring;
import run.creativeai.gateway.adapters.wiring.Catalogues;
import run.creativeai.gateway.adapters.wiring.DispatcherWiring;
import run.creativeai.gateway.adapters.wiring.ReconcilerWiring;
import run.creativeai.gateway.adapters.wiring.StatusWiring;
import run.creativeai.gateway.adapters.wiring.WebhookWiring;
import run.creativeai.gateway.config.ConfigurationException;
import run.creativeai.gateway.config.FunctionEnvironment;

/**
 * What {@link Components} and the wirings decide: which variable configures what, that a function
 * missing one of its variables stops at init naming it, and that each client is built once. Nothing
 * here connects anywhere: wiring a function reads its environment and builds clients, it calls no service.
 */
class ComponentsTest {
    private static final String PLANS_WITH_GOLD = "{\"model_limits\":{\"seedream\":20,\"flux\":10,\"sdxl\":20,"
            + "\"kling\":20,\"seedance\":20,\"vidu\":20,\"flux-lora-fal\":5,\"flux-lora-replicate\":5},\"plans\":{\"gold\":{\"tier\":\"pro\","
            + "\"requests_per_minute\":5,\"requests_per_minute_per\":\"key\",\"create_requests_per_minute\":5,"
            + "\"reads_per_minute\":5,\"concurrent_tasks\":1,\"daily_tasks\":5,\"video\":{\"requests_per_minute\":1,"
            + "\"concurrent\":1,\"per_24_hours\":1,\"per_30_minutes\":1}}}}";

    /** What Lambda gives every function, pointing nowhere that is called. */
    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        return env;
    }

    /** A function that writes metrics (the template gives every function the namespace). */
    private static Map<String, String> metered() {
        Map<String, String> env = base();
        env.put(Components.METRICS_NAMESPACE, "CreativeAI/test");
        return env;
    }

    static Map<String, String> dispatcher() {
        Map<String, String> env = metered();
        env.put(Components.JOBS_TABLE, "jobs");
        env.put(Components.WORKFLOWS_TABLE, "workflows");
        env.put(Components.PROGRESS_QUEUE_URL, "http://127.0.0.1:9/progress");
        env.put(Components.WEBHOOK_QUEUE_URL, "http://127.0.0.1:9/webhook");
        env.put(Components.PROVIDER_CREDENTIALS_SECRET, "provider-credentials");
        env.put(Components.PROVIDER_ENDPOINTS, "{\"seedream\":\"http://127.0.0.1:9/a\",\"flux\":\"http://127.0.0.1:9/b\","
                + "\"sdxl\":\"http://127.0.0.1:9/c\",\"kling\":\"http://127.0.0.1:9/d\","
                + "\"seedance\":\"http://127.0.0.1:9/e\",\"vidu\":\"http://127.0.0.1:9/f\"}");
        env.put(Components.PROVIDER_CIRCUITS_TABLE, "circuits");
        env.put(Components.LIMITS_TABLE, "limits");
        env.put(Components.ACCOUNTS_TABLE, "accounts");
        env.put(Components.ENTERPRISE_QUEUE_URL, "http://127.0.0.1:9/enterprise");
        env.put(Components.PRO_QUEUE_URL, "http://127.0.0.1:9/pro");
        env.put(Components.FREE_QUEUE_URL, "http://127.0.0.1:9/free");
        env.put(Components.OUTPUTS_BUCKET, "outputs");
        env.put(Components.UPLOADS_BUCKET, "uploads");
        env.put(Components.STATUS_TABLE, "status");
        return env;
    }

    static Map<String, String> webhook() {
        Map<String, String> env = metered();
        env.put(Components.JOBS_TABLE, "jobs");
        env.put(Components.WORKFLOWS_TABLE, "workflows");
        env.put(Components.WEBHOOK_DEDUP_TABLE, "dedup");
        env.put(Components.WEBHOOK_QUEUE_URL, "http://127.0.0.1:9/webhook");
        env.put(Components.WEBHOOK_SECRET_PREFIX, "stack/webhook-signing/");
        env.put(Components.STATUS_TABLE, "status");
        env.put(Components.OUTPUTS_BUCKET, "outputs");
        return env;
    }

    static Map<String, String> status() {
        Map<String, String> env = base();
        env.put(Components.STATUS_TABLE, "status");
        env.put(Components.PROVIDER_CIRCUITS_TABLE, "circuits");
        env.put(Components.ENTERPRISE_QUEUE_URL, "http://127.0.0.1:9/enterprise");
        env.put(Components.PRO_QUEUE_URL, "http://127.0.0.1:9/pro");
        env.put(Components.FREE_QUEUE_URL, "http://127.0.0.1:9/free");
        env.put(Components.WEBHOOK_QUEUE_URL, "http://127.0.0.1:9/webhook");
        return env;
    }

    private static Map<String, String> reconciler() {
        Map<String, String> env = metered();
        env.put(Components.JOBS_TABLE, "jobs");
        env.put(Components.WORKFLOWS_TABLE, "workflows");
        env.put(Components.ACCOUNTS_TABLE, "accounts");
        env.put(Components.LIMITS_TABLE, "limits");
        env.put(Components.ENTERPRISE_QUEUE_URL, "http://127.0.0.1:9/enterprise");
        env.put(Components.PRO_QUEUE_URL, "http://127.0.0.1:9/pro");
        env.put(Components.FREE_QUEUE_URL, "http://127.0.0.1:9/free");
        env.put(Components.PROGRESS_QUEUE_URL, "http://127.0.0.1:9/progress");
        env.put(Components.WEBHOOK_QUEUE_URL, "http://127.0.0.1:9/webhook");
        return env;
    }

    private static Map<String, String> callbacks() {
        Map<String, String> env = base();
        env.put(Components.PROGRESS_QUEUE_URL, "http://127.0.0.1:9/progress");
        env.put(Components.PROVIDER_WEBHOOK_SECRETS, "provider-webhook-secrets");
        return env;
    }

    private static Components components(Map<String, String> env) {
        return new Components(FunctionEnvironment.of(env), Clock.systemUTC());
    }

    private static Map<String, String> without(Map<String, String> env, String variable) {
        Map<String, String> less = new HashMap<>(env);
        less.remove(variable);
        return less;
    }

    private static Map<String, String> with(Map<String, String> env, String variable, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(variable, value);
        return more;
    }

    static Stream<Arguments> wirings() {
        Consumer<Components> dispatcher = DispatcherWiring::new;
        Consumer<Components> webhook = WebhookWiring::new;
        Consumer<Components> reconciler = ReconcilerWiring::new;
        Consumer<Components> callbacks = CallbackWiring::new;
        Consumer<Components> status = StatusWiring::new;
        return Stream.of(
                Arguments.of("dispatcher", dispatcher, dispatcher()),
                Arguments.of("webhook", webhook, webhook()),
                Arguments.of("reconciler", reconciler, reconciler()),
                Arguments.of("callbacks", callbacks, callbacks()),
                Arguments.of("status", status, status()));
    }

    @ParameterizedTest(name = "the {0} function wires from the variables it reads")
    @MethodSource("wirings")
    void aFunctionWithEveryVariableOfItsTemplateEntryWiresWithoutCallingAnyService(String function,
            Consumer<Components> wiring, Map<String, String> env) {
        wiring.accept(components(env));
    }

    @ParameterizedTest(name = "the {0} function stops at init without any one of its variables")
    @MethodSource("wirings")
    void aFunctionMissingAnyOfItsVariablesStopsAtInitNamingIt(String function, Consumer<Components> wiring,
            Map<String, String> env) {
        for (String variable : env.keySet()) {
            if (variable.startsWith("AWS_")) {
                continue;
            }
            assertThatThrownBy(() -> wiring.accept(components(without(env, variable))))
                    .as("the %s function without %s", function, variable)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(variable);
        }
    }

    @Test
    void eachClientIsBuiltOnceAndSharedByEverythingTheContainerWires() {
        Components c = components(dispatcher());
        assertThat(c.dynamoDb()).isSameAs(c.dynamoDb());
        assertThat(c.sqs()).isSameAs(c.sqs());
        assertThat(c.secretsManager()).isSameAs(c.secretsManager());
        assertThat(c.secrets()).isSameAs(c.secrets());
        assertThat(c.metrics()).isSameAs(c.metrics());
    }

    @Test
    void planConfigReplacesTheBundledPlansAndTheBundleAppliesWithoutIt() {
        Catalogues configured = Catalogues.configured(FunctionEnvironment.of(Map.of(Components.PLAN_CONFIG,
                PLANS_WITH_GOLD)));
        Catalogues bundled = Catalogues.configured(FunctionEnvironment.of(Map.of()));
        assertThat(configured.plans().names()).containsExactly("gold");
        assertThat(bundled.plans().names()).contains("free", "pro", "enterprise").doesNotContain("gold");
    }

    @Test
    void aPlanConfigurationTheFunctionCannotEnforceStopsItAtInit() {
        Map<String, String> env = with(dispatcher(), Components.PLAN_CONFIG, PLANS_WITH_GOLD.replace(
                "\"requests_per_minute\":5,", "\"rpm\":5,"));
        assertThatThrownBy(() -> new DispatcherWiring(components(env))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("plan gold: unknown field rpm");
    }

    @Test
    void aPriorityShareOrCircuitCoolDownOutOfRangeStopsTheDispatcherAtInitNamingTheVariable() {
        assertThatThrownBy(() -> new DispatcherWiring(components(with(dispatcher(), Components.PRIORITY_MINIMUM_SHARE,
                "a tenth")))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(Components.PRIORITY_MINIMUM_SHARE);
        assertThatThrownBy(() -> new DispatcherWiring(components(with(dispatcher(), Components.CIRCUIT_COOL_DOWN_SECONDS,
                "0")))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(Components.CIRCUIT_COOL_DOWN_SECONDS);
        assertThatThrownBy(() -> new DispatcherWiring(components(with(dispatcher(), Components.PROVIDER_CAPACITY,
                "{\"nobody\":3}")))).isInstanceOf(ConfigurationException.class).hasMessageContaining("nobody");
    }

    @Test
    void loopbackWebhookUrlsAreAcceptedOnlyWhereTheTemplateAllowsThem() {
        URI loopback = URI.create("http://127.0.0.1:8080/hook");
        Components production = components(webhook());
        Components local = components(with(webhook(), Components.ALLOW_LOOPBACK_WEBHOOKS, "true"));
        assertThat(Adapters.webhookUrlPolicy(production).problem(loopback)).isPresent();
        assertThat(Adapters.webhookUrlPolicy(local).problem(loopback)).isEmpty();
    }

    @Test
    void anOutputUrlLifetimeBeyondWhatSigV4AllowsStopsTheFunctionAtInitNamingTheVariable() {
        for (String seconds : new String[] {"0", "604801"}) {
            assertThatThrownBy(() -> new WebhookWiring(components(with(webhook(), Components.OUTPUT_URL_SECONDS, seconds))))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(Components.OUTPUT_URL_SECONDS);
        }
        new WebhookWiring(components(with(webhook(), Components.OUTPUT_URL_SECONDS, "604800")));
    }
}
