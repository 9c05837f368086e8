package run.creativeai.gateway.adapters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Function instances racing on shared DynamoDB state: each thread builds its own SDK client and its
 * own component, as each Lambda instance does, waits for the start, then takes attempts from a
 * shared count until all are made. The clients wait for a slow call rather than retry it
 * ({@link AwsServices.Running#newRacingDynamoDb}), so a loaded machine slows a race down without
 * changing what it counts.
 */
public final class InstanceRace {
    /** One instance's side of the race: makes attempt {@code index}; true when it succeeded. */
    @FunctionalInterface
    public interface Instance {
        boolean attempt(int index);
    }

    private InstanceRace() {
    }

    /** Runs {@code attempts} attempts over {@code instances} instances; returns how many succeeded. */
    public static int run(AwsServices.Running aws, int instances, int attempts, Function<DynamoDbClient, Instance> build)
            throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(instances);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        List<Future<Integer>> perInstance = new ArrayList<>();
        for (int t = 0; t < instances; t++) {
            perInstance.add(threads.submit(() -> {
                int succeeded = 0;
                try (DynamoDbClient ownClient = aws.newRacingDynamoDb()) {
                    Instance instance = build.apply(ownClient);
                    go.await();
                    int index;
                    while ((index = next.getAndIncrement()) < attempts) {
                        if (instance.attempt(index)) {
                            succeeded++;
                        }
                    }
                }
                return succeeded;
            }));
        }
        go.countDown();
        int succeeded = 0;
        for (Future<Integer> f : perInstance) {
            succeeded += f.get();
        }
        threads.shutdown();
        return succeeded;
    }
}
