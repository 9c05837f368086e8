package run.creativeai.local;

import java.util.Locale;
import java.util.Map;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.config.FunctionEnvironment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs in a JVM of its own, started by {@link IdleConnectionsBenchmark} with the JVM options under
 * test: a consistent {@code GetItem} through the client the functions build, after a pause, then
 * another at once, round after round. One line a round: {@code ROUND after_pause_ns=... next_ns=...}.
 *
 * <p>Usage: {@code IdleConnectionProbe <table> <rounds> <pause ms>}, with the AWS variables in the
 * environment.
 */
public final class IdleConnectionProbe {
    static final int WARM_UP = 300;

    private IdleConnectionProbe() {
    }

    public static void main(String[] args) throws Exception {
        String table = args[0];
        int rounds = Integer.parseInt(args[1]);
        long pauseMillis = Long.parseLong(args[2]);
        DynamoDbClient dynamo = AwsClients.dynamoDb(FunctionEnvironment.of(System.getenv()));
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("bench#idle-connections"),
                "sk", AttributeValue.fromS("item"));
        Runnable read = () -> dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        // A warm instance: the path loaded and compiled, its connection open.
        for (int i = 0; i < WARM_UP; i++) {
            read.run();
        }
        for (int round = 0; round < rounds; round++) {
            // The pause is what is measured: an instance left idle between two events.
            Thread.sleep(pauseMillis);
            long t0 = System.nanoTime();
            read.run();
            long t1 = System.nanoTime();
            read.run();
            long t2 = System.nanoTime();
            System.out.println(String.format(Locale.ROOT, "ROUND after_pause_ns=%d next_ns=%d", t1 - t0, t2 - t1));
        }
    }
}
