package run.creativeai.gateway.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.adapters.wiring.Catalogues;
import run.creativeai.gateway.adapters.wiring.DispatcherWiring;
import run.creativeai.gateway.adapters.wiring.IngressWiring;
import run.creativeai.gateway.adapters.wiring.WebhookWiring;
import run.creativeai.gateway.plan.Plan;
import run.creativeai.gateway.adapters.wiring.StatusWiring;
import run.creativeai.gateway.config.FunctionEnvironment;

/**
 * The primings that walk a whole real event against a loopback stand-in ({@code Rehearsals.againstStandIn}):
 * the dispatcher's job starts, the status function's run, ingress's admission and the webhook
 * function's delivery make the calls a real one makes, none of them to the services the function's
 * environment names (here an address where nothing listens, so a call that went there would fail the
 * rehearsal), and no metric of the rehearsed job reaches the function's output, where an operator's
 * dashboards would count it.
 */
class StandInRehearsalsTest {
    @Test
    void aRehearsedStartMakesARealStartsCallsToTheStandInAloneAndWritesNoMetric() {
        DispatcherWiring wiring = new DispatcherWiring(
                new Components(FunctionEnvironment.of(ComponentsTest.dispatcher()), Clock.systemUTC()));
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> calls;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            calls = wiring.rehearsedStart();
        } finally {
            System.setOut(out);
        }

        // One start for each provider wire protocol, each the calls a real start makes.
        List<List<String>> starts = new ArrayList<>();
        for (String call : calls) {
            if (call.equals("DynamoDB_20120810.PutItem")) {
                starts.add(new ArrayList<>());
            }
            starts.get(starts.size() - 1).add(call.startsWith("POST /") ? "POST" : call);
        }
        assertThat(starts).as("a start for each protocol").hasSize(2).allSatisfy(start -> assertThat(start)
                .as("the job put and read, then the tenant's slot, the attempt begun and the provider's slot;"
                        + " last the provider's id and the first check")
                .startsWith("DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem", "DynamoDB_20120810.UpdateItem",
                        "DynamoDB_20120810.UpdateItem", "DynamoDB_20120810.UpdateItem")
                .endsWith("POST", "DynamoDB_20120810.UpdateItem", "AmazonSQS.SendMessage"));
        assertThat(calls.stream().filter(call -> call.startsWith("POST /")).map(call -> call.split("/")[1]))
                .as("a submission to a provider of each protocol").containsExactlyInAnyOrder("seedream", "flux");
        assertThat(printed.toString(StandardCharsets.UTF_8)).as("metrics of the rehearsed job").doesNotContain("_aws");
    }

    @Test
    void aRehearsedStatusRunProbesEveryTierAndPublishesItsDocumentToTheStandInAlone() {
        List<String> calls = StatusWiring.rehearsedRun(
                new Components(FunctionEnvironment.of(ComponentsTest.status()), Clock.systemUTC()));

        assertThat(calls).as("the queues' depths read, the readings and incidents read, the document stored")
                .contains("AmazonSQS.GetQueueAttributes", "DynamoDB_20120810.Query", "DynamoDB_20120810.BatchGetItem",
                        "DynamoDB_20120810.PutItem", "DynamoDB_20120810.UpdateItem");
        assertThat(calls.stream().filter("AmazonSQS.SendMessage"::equals)).as("a probe for each tier's queue").hasSize(3);
    }

    @Test
    void aRehearsedAdmissionIsAuthenticatedAdmittedAndQueuedAtTheStandInAlone() {
        Map<String, String> env = new HashMap<>(ComponentsTest.dispatcher());
        env.put(Components.API_KEYS_TABLE, "api-keys");
        env.put(Components.API_KEY_PEPPER_SECRET, "pepper");
        env.put(Components.IDEMPOTENCY_TABLE, "idempotency");
        env.put(Components.UPLOADS_TABLE, "uploads");
        env.put(Components.WEBHOOK_SECRET_PREFIX, "stack/webhook-signing/");
        Components components = new Components(FunctionEnvironment.of(env), Clock.systemUTC());
        Catalogues catalogues = Catalogues.configured(components.environment());
        Plan plan = catalogues.plans().find("enterprise").orElseThrow();

        List<String> calls = IngressWiring.rehearsedAdmission(components, plan);

        assertThat(calls).as("the key issued, then read by its hash, the limiter's one transaction and the tier queue's message")
                .containsSubsequence("DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem",
                        "DynamoDB_20120810.TransactWriteItems", "AmazonSQS.SendMessage")
                .endsWith("AmazonSQS.SendMessage");
    }

    @Test
    void aRehearsedDeliveryClaimsSignsPostsAndRecordsAtTheStandInAlone() {
        List<String> calls = WebhookWiring.rehearsedDelivery(
                new Components(FunctionEnvironment.of(ComponentsTest.webhook()), Clock.systemUTC()));

        assertThat(calls).as("the job read, the ledger's claim, the tenant's secret, the POST, the attempt recorded")
                .containsSubsequence("DynamoDB_20120810.GetItem", "DynamoDB_20120810.UpdateItem",
                        "secretsmanager.GetSecretValue", "POST /webhook", "DynamoDB_20120810.UpdateItem")
                .doesNotContain("AmazonSQS.SendMessage");
    }
}
