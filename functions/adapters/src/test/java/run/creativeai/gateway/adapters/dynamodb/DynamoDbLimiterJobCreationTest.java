package run.creativeai.gateway.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.access.AuditEntry;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.billing.Balance;
import run.creativeai.gateway.admission.JobCreation;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.limits.RateLimitRule.CountedPer;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.testing.Jobs;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An admission that creates a job writes it in the limiter's own transaction, against DynamoDB
 * Local: counted, reserved and stored in one round trip, or none of them.
 */
@ExtendWith(AwsServices.class)
class DynamoDbLimiterJobCreationTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final RateLimitRule TWO_PER_MINUTE = RateLimitRule.fixed("plan_requests_per_minute",
            RateLimitRule.Unit.REQUESTS, 2, Duration.ofMinutes(1), CountedPer.KEY);

    private static AwsServices.Running aws;
    private static String counters;
    private static String accounts;
    private static String jobsTable;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        counters = aws.newTable(DynamoDbLimiter.PK);
        accounts = aws.newTable(AccountItems.PK, AccountItems.SK);
        jobsTable = aws.newTable(DynamoDbJobStore.JOB_ID);
    }

    private record Calls(DynamoDbClient client, List<String> operations) {
    }

    /** A client that notes each DynamoDB operation it sends. */
    private static Calls counted() {
        List<String> operations = new ArrayList<>();
        return new Calls(aws.newNotingDynamoDb(operations), operations);
    }

    private static TenantId funded(long credits) {
        TenantId tenant = new TenantId("t-" + UUID.randomUUID().toString().substring(0, 8));
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            new DynamoDbAccounts(dynamo, accounts).addCredits(tenant, credits, new AuditEntry(NOW, "test", "credits add", "+"));
        }
        return tenant;
    }

    private static List<LimitCharge> request(String key) {
        return List.of(new LimitCharge(TWO_PER_MINUTE, key, 1));
    }

    @Test
    void anAdmittedJobIsCountedReservedAndStoredInOneRoundTrip() {
        TenantId tenant = funded(100);
        Calls calls = counted();
        DynamoDbJobStore jobs = new DynamoDbJobStore(calls.client(), jobsTable, Duration.ofDays(30));
        DynamoDbLimiter limiter = new DynamoDbLimiter(calls.client(), counters, accounts, jobs);
        Job job = Jobs.queuedImage("sdxl", NOW);

        AdmissionDecision decision = limiter.admitCreating(request("key_fold1"),
                Optional.of(new CreditReservation(tenant.value(), 30)), new JobCreation(job, jobs), NOW);

        assertThat(decision).isInstanceOf(AdmissionDecision.Admitted.class);
        assertThat(calls.operations()).as("one write for the counters, the credits and the job")
                .containsExactly("TransactWriteItems");
        try (DynamoDbClient dynamo = calls.client()) {
            assertThat(jobs.find(job.id())).contains(job);
            assertThat(new DynamoDbAccounts(dynamo, accounts).balance(tenant)).isEqualTo(new Balance(70, 30));
        }
    }

    @Test
    void aRefusedRequestStoresNoJobAndReservesNothing() {
        TenantId tenant = funded(100);
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore jobs = new DynamoDbJobStore(dynamo, jobsTable, Duration.ofDays(30));
            // Another instance, whose view of the counter is its own, fills the window first.
            DynamoDbLimiter other = new DynamoDbLimiter(dynamo, counters, accounts, jobs);
            DynamoDbLimiter limiter = new DynamoDbLimiter(dynamo, counters, accounts, jobs);
            Optional<CreditReservation> ten = Optional.of(new CreditReservation(tenant.value(), 10));
            assertThat(limiter.admitCreating(request("key_fold2"), ten, new JobCreation(Jobs.queuedImage("sdxl", NOW), jobs), NOW))
                    .isInstanceOf(AdmissionDecision.Admitted.class);
            assertThat(other.admitCreating(request("key_fold2"), ten, new JobCreation(Jobs.queuedImage("sdxl", NOW), jobs), NOW))
                    .isInstanceOf(AdmissionDecision.Admitted.class);
            Job third = Jobs.queuedImage("sdxl", NOW);

            assertThat(limiter.admitCreating(request("key_fold2"), ten, new JobCreation(third, jobs), NOW))
                    .isInstanceOf(AdmissionDecision.Refused.class);
            assertThat(jobs.find(third.id())).as("the refused job").isEmpty();
            assertThat(new DynamoDbAccounts(dynamo, accounts).balance(tenant)).isEqualTo(new Balance(80, 20));

            Job unfunded = Jobs.queuedImage("sdxl", NOW);
            assertThat(limiter.admitCreating(request("key_fold3"), Optional.of(new CreditReservation(tenant.value(), 81)),
                    new JobCreation(unfunded, jobs), NOW)).isInstanceOf(AdmissionDecision.InsufficientCredits.class);
            assertThat(jobs.find(unfunded.id())).as("the job its credits could not cover").isEmpty();
        }
    }

    @Test
    void aJobIdThatExistsAlreadyCountsNothingAndReservesNothing() {
        TenantId tenant = funded(100);
        try (DynamoDbClient dynamo = aws.newDynamoDb()) {
            DynamoDbJobStore jobs = new DynamoDbJobStore(dynamo, jobsTable, Duration.ofDays(30));
            DynamoDbLimiter limiter = new DynamoDbLimiter(dynamo, counters, accounts, jobs);
            Job existing = Jobs.queuedImage("sdxl", NOW);
            assertThat(jobs.create(existing)).isTrue();

            assertThatThrownBy(() -> limiter.admitCreating(request("key_fold4"),
                    Optional.of(new CreditReservation(tenant.value(), 10)), new JobCreation(existing, jobs), NOW))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("collided");
            assertThat(new DynamoDbAccounts(dynamo, accounts).balance(tenant)).isEqualTo(new Balance(100, 0));
            assertThat(limiter.peek(request("key_fold4"), NOW).get(0).used()).isZero();
        }
    }
}
