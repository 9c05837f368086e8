package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.Race;
import run.creativeai.gateway.provider.CircuitBreaker.CircuitStatus;
import run.creativeai.gateway.provider.CircuitBreaker.Permission;
import run.creativeai.gateway.provider.CircuitPolicy;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.CircuitTransition;
import run.creativeai.gateway.provider.Unavailability;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Circuits shared by dispatcher instances, against DynamoDB Local, with time given explicitly. */
@ExtendWith(AwsServices.class)
class DynamoDbCircuitBreakerTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final CircuitPolicy POLICY = new CircuitPolicy(5, Duration.ofSeconds(30), Duration.ofSeconds(10));
    private static AwsServices.Running aws;
    private static String table;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(DynamoDbCircuitBreaker.PROVIDER);
    }

    private static DynamoDbCircuitBreaker instance(DynamoDbClient client) {
        return new DynamoDbCircuitBreaker(client, table, POLICY);
    }

    @Test
    void fiveFailuresInARowOpenTheCircuitForEveryInstance() {
        try (DynamoDbClient a = aws.newDynamoDb(); DynamoDbClient b = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker first = instance(a);
            DynamoDbCircuitBreaker second = instance(b);
            for (int i = 0; i < 4; i++) {
                first.failed("kling-open", Unavailability.SERVER_ERROR, T0);
            }
            assertThat(second.acquire("kling-open", T0)).isEqualTo(Permission.ALLOWED);
            second.failed("kling-open", Unavailability.SERVER_ERROR, T0.plusSeconds(1));
            assertThat(first.acquire("kling-open", T0.plusSeconds(2)))
                    .as("the other instance's failure tripped it").isEqualTo(Permission.DENIED);
            assertThat(second.status("kling-open", T0.plusSeconds(2))).isEqualTo(CircuitStatus.OPEN);
        }
    }

    @Test
    void theTripDatesTheOutageAsEveryLaterReadOfTheCircuitDatesIt() {
        try (DynamoDbClient a = aws.newDynamoDb(); DynamoDbClient b = aws.newDynamoDb()) {
            // A clock finer than the stored milliseconds, as the system clock is.
            Instant at = T0.plusNanos(123_456_789);
            CircuitTransition last = CircuitTransition.UNCHANGED;
            for (int i = 0; i < 5; i++) {
                last = instance(a).failed("kling-dated", Unavailability.SERVER_ERROR, at);
            }
            assertThat(last).isInstanceOfSatisfying(CircuitTransition.Opened.class, opened -> assertThat(
                    Optional.of(opened.trippedAt())).as("the incident it opens is found again by the circuit's date")
                    .isEqualTo(instance(b).describe("kling-dated", at.plusSeconds(1)).trippedAt()));
        }
    }

    @Test
    void aSuccessResetsTheCountOfFailures() {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker breaker = instance(client);
            for (int i = 0; i < 4; i++) {
                breaker.failed("vidu-flaky", Unavailability.SERVER_ERROR, T0);
            }
            breaker.succeeded("vidu-flaky", T0);
            for (int i = 0; i < 4; i++) {
                breaker.failed("vidu-flaky", Unavailability.SERVER_ERROR, T0);
            }
            assertThat(breaker.status("vidu-flaky", T0)).isEqualTo(CircuitStatus.CLOSED);
        }
    }

    @Test
    void afterTheCoolDownExactlyOneCallerProbesAndItsSuccessClosesTheCircuit() throws Exception {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker breaker = instance(client);
            for (int i = 0; i < 5; i++) {
                breaker.failed("seedance-probe", Unavailability.SERVER_ERROR, T0);
            }
            Instant afterCoolDown = T0.plusSeconds(31);
            List<Permission> permissions = Race.of(8, () -> {
                try (DynamoDbClient own = aws.newDynamoDb()) {
                    return instance(own).acquire("seedance-probe", afterCoolDown);
                }
            });
            assertThat(permissions).filteredOn(p -> p == Permission.PROBE).hasSize(1);
            assertThat(permissions).filteredOn(p -> p == Permission.DENIED).hasSize(7);
            breaker.succeeded("seedance-probe", afterCoolDown.plusSeconds(1));
            assertThat(breaker.acquire("seedance-probe", afterCoolDown.plusSeconds(2))).isEqualTo(Permission.ALLOWED);
        }
    }

    @Test
    void aFailedProbeOpensTheCircuitForAnotherCoolDown() {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker breaker = instance(client);
            for (int i = 0; i < 5; i++) {
                breaker.failed("sdxl-down", Unavailability.SERVER_ERROR, T0);
            }
            Instant probe = T0.plusSeconds(40);
            assertThat(breaker.acquire("sdxl-down", probe)).isEqualTo(Permission.PROBE);
            breaker.failed("sdxl-down", Unavailability.SERVER_ERROR, probe.plusSeconds(1));
            assertThat(breaker.acquire("sdxl-down", probe.plusSeconds(20))).isEqualTo(Permission.DENIED);
            assertThat(breaker.acquire("sdxl-down", probe.plusSeconds(32))).isEqualTo(Permission.PROBE);
        }
    }

    @Test
    void aProbeThatNeverReportsIsTakenOverAfterItsTimeout() {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker breaker = instance(client);
            for (int i = 0; i < 5; i++) {
                breaker.failed("flux-lost-probe", Unavailability.SERVER_ERROR, T0);
            }
            assertThat(breaker.acquire("flux-lost-probe", T0.plusSeconds(30))).isEqualTo(Permission.PROBE);
            assertThat(breaker.acquire("flux-lost-probe", T0.plusSeconds(35))).isEqualTo(Permission.DENIED);
            assertThat(breaker.acquire("flux-lost-probe", T0.plusSeconds(41))).isEqualTo(Permission.PROBE);
        }
    }

    @Test
    void ofInstancesRacingTheFailureThatTripsAndTheSuccessThatClosesExactlyOneSeesEachTransition() throws Exception {
        for (int i = 0; i < 4; i++) {
            try (DynamoDbClient client = aws.newDynamoDb()) {
                instance(client).failed("kling-race", Unavailability.TIMEOUT, T0);
            }
        }
        List<CircuitTransition> failures = Race.of(6, () -> {
            try (DynamoDbClient own = aws.newDynamoDb()) {
                return instance(own).failed("kling-race", Unavailability.CAPACITY, T0.plusSeconds(1));
            }
        });
        assertThat(failures).filteredOn(t -> t instanceof CircuitTransition.Opened).singleElement()
                .isInstanceOfSatisfying(CircuitTransition.Opened.class, opened -> {
                    assertThat(opened.trippedAt()).isEqualTo(T0.plusSeconds(1));
                    assertThat(opened.kinds()).containsExactlyInAnyOrder(Unavailability.TIMEOUT, Unavailability.CAPACITY);
                });
        List<CircuitTransition> successes = Race.of(6, () -> {
            try (DynamoDbClient own = aws.newDynamoDb()) {
                return instance(own).succeeded("kling-race", T0.plusSeconds(40));
            }
        });
        assertThat(successes).filteredOn(t -> t instanceof CircuitTransition.Closed).singleElement()
                .isEqualTo(new CircuitTransition.Closed(T0.plusSeconds(1)));
    }

    @Test
    void theDescriptionOfAnOpenCircuitDatesItsOutageAcrossFailedProbesAndNamesItsFailuresAndNextProbe() {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker breaker = instance(client);
            assertThat(breaker.describe("vidu-described", T0)).isEqualTo(CircuitState.closed());
            for (int i = 0; i < 5; i++) {
                breaker.failed("vidu-described", i % 2 == 0 ? Unavailability.SERVER_ERROR : Unavailability.TIMEOUT, T0);
            }
            Instant probe = T0.plusSeconds(31);
            assertThat(breaker.acquire("vidu-described", probe)).isEqualTo(Permission.PROBE);
            assertThat(breaker.describe("vidu-described", probe).probeAllowedAt()).contains(probe.plusSeconds(10));
            assertThat(breaker.failed("vidu-described", Unavailability.SERVER_ERROR, probe.plusSeconds(1)))
                    .as("a failed probe opens it again, within the same outage").isEqualTo(CircuitTransition.UNCHANGED);
            CircuitState open = breaker.describe("vidu-described", probe.plusSeconds(2));
            assertThat(open.status()).isEqualTo(CircuitStatus.OPEN);
            assertThat(open.trippedAt()).contains(T0);
            assertThat(open.openedAt()).contains(probe.plusSeconds(1));
            assertThat(open.probeAllowedAt()).contains(probe.plusSeconds(31));
            assertThat(open.kinds()).containsExactlyInAnyOrder(Unavailability.SERVER_ERROR, Unavailability.TIMEOUT);
            assertThat(breaker.succeeded("vidu-described", probe.plusSeconds(40)))
                    .isEqualTo(new CircuitTransition.Closed(T0));
            assertThat(breaker.describe("vidu-described", probe.plusSeconds(41))).isEqualTo(CircuitState.closed());
        }
    }

    @Test
    void theStatusPagesReadOfEveryCircuitAtOnceFindsEachAsItsOwnReadDoes() {
        try (DynamoDbClient client = aws.newDynamoDb()) {
            DynamoDbCircuitBreaker breaker = instance(client);
            for (int i = 0; i < 5; i++) {
                breaker.failed("all-tripped", Unavailability.TIMEOUT, T0);
            }
            breaker.failed("all-failing", Unavailability.SERVER_ERROR, T0);
            List<String> providers = List.of("all-failing", "all-never-called", "all-tripped", "all-failing");
            Instant now = T0.plusSeconds(5);
            assertThat(breaker.describeAll(providers, now))
                    .as("one state per provider, in the order asked, a provider never called closed")
                    .containsExactly(
                            java.util.Map.entry("all-failing", breaker.describe("all-failing", now)),
                            java.util.Map.entry("all-never-called", CircuitState.closed()),
                            java.util.Map.entry("all-tripped", breaker.describe("all-tripped", now)));
            assertThat(breaker.describeAll(providers, now).get("all-tripped").status()).isEqualTo(CircuitStatus.OPEN);
        }
    }
}
