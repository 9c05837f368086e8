package run.creativeai.gateway.adapters.dynamodb.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.AwsClients;
import run.creativeai.gateway.adapters.AwsServices;
import run.creativeai.gateway.adapters.Race;
import run.creativeai.gateway.adapters.sqs.SqsJobQueue;
import run.creativeai.gateway.adapters.sqs.SqsQueue;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.status.ComponentId;
import run.creativeai.gateway.status.ComponentStatus;
import run.creativeai.gateway.status.HealthCounters;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.Incident;
import run.creativeai.gateway.status.IncidentCause;
import run.creativeai.gateway.status.Maintenance;
import run.creativeai.gateway.status.Notice;
import run.creativeai.gateway.status.Subscription;
import run.creativeai.gateway.status.SubscriptionStore;
import run.creativeai.gateway.status.UptimeLedger;
import run.creativeai.gateway.tenant.TenantId;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The status table's adapters against DynamoDB Local, several racing like function instances. */
@ExtendWith(AwsServices.class)
class DynamoDbStatusStoresTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static AwsServices.Running aws;
    private static String table;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void setUp(AwsServices.Running running) {
        aws = running;
        table = aws.newTable(StatusTable.PK, StatusTable.SK);
        dynamo = aws.newDynamoDb();
    }

    private static Incident incident(String id, Instant at) {
        return Incident.open(id, "title " + id, List.of(ComponentId.API), ComponentStatus.DEGRADED,
                new IncidentCause.Operator(), "investigating", "opened", at);
    }

    @Test
    void aNoticeIsCreatedOnceChangedOnlyFromItsCurrentVersionAndMovesToTheHistoryWhenItCloses() throws Exception {
        DynamoDbNoticeStore store = new DynamoDbNoticeStore(dynamo, table);
        Incident opened = incident("inc_store_a", T0);
        assertThat(store.create(opened)).isTrue();
        assertThat(store.create(opened)).as("the same id again").isFalse();
        assertThat(store.find("inc_store_a")).contains(opened);

        Incident updated = opened.updated("identified", "found it", ComponentStatus.PARTIAL_OUTAGE, T0.plusSeconds(60));
        List<Boolean> raced = Race.of(6, () -> {
            try (DynamoDbClient own = aws.newDynamoDb()) {
                return new DynamoDbNoticeStore(own, table).replace(opened, updated);
            }
        });
        assertThat(raced).as("six writers of the same next version").containsOnlyOnce(true);

        Incident staleResolve = opened.updated("resolved", "fixed", opened.impact(), T0.plusSeconds(600));
        assertThat(store.replace(opened, staleResolve)).as("a writer that read the version before the update").isFalse();
        assertThat(store.open()).extracting(Notice::id).contains("inc_store_a");
        Incident resolved = updated.updated("resolved", "fixed", updated.impact(), T0.plusSeconds(600));
        assertThat(store.replace(updated, resolved)).isTrue();
        assertThat(store.open()).extracting(Notice::id).doesNotContain("inc_store_a");
        assertThat(store.find("inc_store_a")).contains(resolved);
        assertThat(store.closedSince(T0)).extracting(Notice::id).contains("inc_store_a");
        assertThat(store.closedSince(T0.plusSeconds(601))).extracting(Notice::id).doesNotContain("inc_store_a");
    }

    @Test
    void theHistoryIsReadFromAMomentNewestFirstAndAnnouncementsAreNotedForward() {
        DynamoDbNoticeStore store = new DynamoDbNoticeStore(dynamo, aws.newTable(StatusTable.PK, StatusTable.SK));
        for (int i = 0; i < 4; i++) {
            Maintenance window = Maintenance.schedule("mnt_store_" + i, "w" + i, List.of(ComponentId.API), T0,
                    T0.plusSeconds(3600), "planned", T0);
            store.create(window);
            store.replace(window, window.moved(Maintenance.State.CANCELED, T0, T0.plusSeconds(3600), "off",
                    T0.plus(Duration.ofDays(i))));
        }
        assertThat(store.closedSince(T0.plus(Duration.ofDays(2)))).extracting(Notice::id)
                .containsExactly("mnt_store_3", "mnt_store_2");
        store.markAnnounced("mnt_store_1", 2);
        store.markAnnounced("mnt_store_1", 1);
        assertThat(store.announced(List.of("mnt_store_0", "mnt_store_1"))).containsEntry("mnt_store_0", 0)
                .containsEntry("mnt_store_1", 2);
    }

    @Test
    void aMinuteOfUptimeCountsOnceHoweverManyRunsRaceForItAndDaysReadBackPerComponentAndStatus() throws Exception {
        DynamoDbUptimeLedger ledger = new DynamoDbUptimeLedger(dynamo, table);
        Map<ComponentId, ComponentStatus> statuses = Map.of(ComponentId.API, ComponentStatus.OPERATIONAL,
                new ComponentId("seedream"), ComponentStatus.PARTIAL_OUTAGE);
        List<Boolean> raced = Race.of(5, () -> {
            try (DynamoDbClient own = aws.newDynamoDb()) {
                return new DynamoDbUptimeLedger(own, table).record(T0, statuses);
            }
        });
        assertThat(raced).containsOnlyOnce(true);
        assertThat(ledger.record(T0.minusSeconds(60), statuses)).as("an earlier minute of the same day").isFalse();
        assertThat(ledger.record(T0.plusSeconds(60), Map.of(ComponentId.API, ComponentStatus.DEGRADED))).isTrue();
        assertThat(ledger.record(T0.plus(Duration.ofDays(1)), statuses)).isTrue();
        List<UptimeLedger.UptimeDay> days = ledger.days(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-01"));
        assertThat(days).hasSize(1);
        assertThat(days.get(0).lastMinute()).as("a run of that minute shows it counted as read").contains(T0.plusSeconds(60));
        assertThat(days.get(0).minutes().get(ComponentId.API)).containsEntry(ComponentStatus.OPERATIONAL, 1)
                .containsEntry(ComponentStatus.DEGRADED, 1);
        assertThat(days.get(0).minutes().get(new ComponentId("seedream"))).containsEntry(ComponentStatus.PARTIAL_OUTAGE, 1);
        assertThat(ledger.days(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-12-31"))).hasSize(2);
    }

    @Test
    void countersAddedByInstancesAtOnceSumOverTheMinutesAsked() throws Exception {
        Race.of(8, () -> {
            try (DynamoDbClient own = aws.newDynamoDb()) {
                DynamoDbHealthCounters counters = new DynamoDbHealthCounters(own, table);
                counters.add(HealthSignal.WEBHOOK_ATTEMPTS, T0, 10, 2);
                counters.add(HealthSignal.WEBHOOK_ATTEMPTS, T0.plusSeconds(60), 5, 5);
                return true;
            }
        });
        DynamoDbHealthCounters counters = new DynamoDbHealthCounters(dynamo, table);
        assertThat(counters.sum(HealthSignal.WEBHOOK_ATTEMPTS, T0.minusSeconds(240), T0.plusSeconds(60)))
                .isEqualTo(new HealthCounters.Counts(80, 16));
        assertThat(counters.sum(HealthSignal.WEBHOOK_ATTEMPTS, T0, T0.plusSeconds(120)))
                .isEqualTo(new HealthCounters.Counts(120, 56));
        assertThat(counters.sum(HealthSignal.API_REQUESTS, T0, T0.plusSeconds(120))).isEqualTo(HealthCounters.Counts.NONE);
    }

    @Test
    void countsAddedToEveryShardOfAMinuteAllReachTheSum() {
        String own = aws.newTable(StatusTable.PK, StatusTable.SK);
        for (int shard = 0; shard < DynamoDbHealthCounters.SHARDS; shard++) {
            for (HealthSignal signal : HealthSignal.values()) {
                new DynamoDbHealthCounters(dynamo, own, shard).add(signal, T0, 3, 1);
            }
        }
        for (HealthSignal signal : HealthSignal.values()) {
            assertThat(new DynamoDbHealthCounters(dynamo, own).sum(signal, T0, T0.plusSeconds(60)))
                    .as("every instance's counts of " + signal + ", whichever partition it added them to")
                    .isEqualTo(new HealthCounters.Counts(3L * DynamoDbHealthCounters.SHARDS, DynamoDbHealthCounters.SHARDS));
        }
    }

    @Test
    void aTenantsSubscriptionsStayWithinTheLimitHoweverManyRequestsRaceAndComeBackWithTheirLastDelivery()
            throws Exception {
        String own = aws.newTable(StatusTable.PK, StatusTable.SK);
        TenantId tenant = new TenantId("racers");
        List<Integer> urls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            urls.add(i);
        }
        List<SubscriptionStore.Created> results = Race.of(16, () -> {
            int n;
            synchronized (urls) {
                n = urls.remove(0);
            }
            try (DynamoDbClient client = aws.newDynamoDb()) {
                return new DynamoDbSubscriptionStore(client, own, Clock.systemUTC()).create(new Subscription("sub_race" + n,
                        tenant, URI.create("https://racers.example.com/" + n), T0, Optional.empty()), 10);
            }
        });
        assertThat(results).filteredOn(r -> r == SubscriptionStore.Created.CREATED).hasSize(10);
        assertThat(results).filteredOn(r -> r == SubscriptionStore.Created.LIMIT_REACHED).hasSize(6);
        DynamoDbSubscriptionStore store = new DynamoDbSubscriptionStore(dynamo, own, Clock.systemUTC());
        assertThat(store.of(tenant)).hasSize(10);
        Subscription one = store.of(tenant).get(0);
        assertThat(store.create(one, 10)).isEqualTo(SubscriptionStore.Created.EXISTS);
        assertThat(store.delete(new TenantId("someone-else"), one.id())).isFalse();

        WebhookAttempt failed = new WebhookAttempt(1, "evt_1", T0, Optional.of(503), Optional.of("HTTP 503"), 12);
        WebhookAttempt delivered = new WebhookAttempt(2, "evt_1", T0.plusSeconds(5), Optional.of(200), Optional.empty(), 9);
        store.record(one, "status.incident.opened", failed);
        store.record(one, "status.incident.opened", delivered);
        assertThat(store.attempts(one.id(), "evt_1")).containsExactly(failed, delivered);
        assertThat(store.find(tenant, one.id()).orElseThrow().lastDelivery())
                .contains(new Subscription.Delivery("status.incident.opened", delivered));

        assertThat(store.delete(tenant, one.id())).isTrue();
        assertThat(store.delete(tenant, one.id())).isFalse();
        assertThat(store.create(new Subscription("sub_after", tenant, URI.create("https://racers.example.com/after"), T0,
                Optional.empty()), 10)).as("room for one again").isEqualTo(SubscriptionStore.Created.CREATED);
        assertThat(store.all()).hasSize(10);
    }

    @Test
    void aRebuildThatTookItsGenerationEarlierNeverReplacesALaterOnesDocument() {
        DynamoDbStatusPublication publication = new DynamoDbStatusPublication(dynamo, aws.newTable(StatusTable.PK,
                StatusTable.SK));
        assertThat(publication.current()).isEmpty();
        long early = publication.nextGeneration();
        long late = publication.nextGeneration();
        assertThat(late).isGreaterThan(early);
        assertThat(publication.publish(late, T0, "{\"generation\":\"late\"}")).isTrue();
        assertThat(publication.publish(early, T0, "{\"generation\":\"early\"}")).isFalse();
        assertThat(publication.current()).contains("{\"generation\":\"late\"}");
    }

    @Test
    void aProbeIsSentOnlyWhenNoneWaitsAndAWaitingOneIsAnsweredByTheRefusedNote() {
        try (SqsClient sqs = AwsClients.sqs(aws.environment(Map.of()))) {
            String url = sqs.createQueue(b -> b.queueName("probes-" + UUID.randomUUID())).queueUrl();
            Map<Tier, SqsQueue> byTier = new EnumMap<>(Tier.class);
            for (Tier tier : Tier.values()) {
                byTier.put(tier, new SqsQueue(sqs, url));
            }
            DynamoDbQueueProbes probes = new DynamoDbQueueProbes(dynamo, aws.newTable(StatusTable.PK, StatusTable.SK),
                    new SqsJobQueue(byTier));
            assertThat(probes.waitingSince(Tier.PRO)).isEmpty();

            assertThat(probes.probe(Tier.PRO, T0)).as("none waited: one is sent now").contains(T0);
            assertThat(probes.probe(Tier.PRO, T0.plusSeconds(60))).as("the waiting one's time, from the refused note")
                    .contains(T0);
            assertThat(probes.waitingSince(Tier.PRO)).contains(T0);
            List<Message> sent = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
            assertThat(sent).as("one probe on the queue, not one per run").singleElement()
                    .extracting(Message::body).asString().contains("\"probe\":\"pro\"", T0.toString());

            probes.received(Tier.PRO, T0);
            assertThat(probes.probe(Tier.PRO, T0.plusSeconds(120))).as("taken off: the next run sends another")
                    .contains(T0.plusSeconds(120));
            probes.received(Tier.PRO, T0);
            assertThat(probes.waitingSince(Tier.PRO)).as("a copy of the old probe leaves the new one waiting")
                    .contains(T0.plusSeconds(120));
            assertThat(probes.waitingSince(Tier.ENTERPRISE)).as("each tier its own").isEmpty();
        }
    }
}
