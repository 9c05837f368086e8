package run.creativeai.gateway.adapters.wiring;

import java.time.Duration;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.ConcurrentCalls;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbHealthCounters;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbNoticeStore;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbQueueProbes;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbStatusPublication;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbSubscriptionStore;
import run.creativeai.gateway.adapters.dynamodb.status.DynamoDbUptimeLedger;
import run.creativeai.gateway.adapters.sqs.SqsQueue;
import run.creativeai.gateway.adapters.sqs.SqsStatusAnnouncements;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.status.HealthPolicy;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.HealthTally;
import run.creativeai.gateway.status.Incidents;
import run.creativeai.gateway.status.NoticeAnnouncer;
import run.creativeai.gateway.status.PublishedStatus;
import run.creativeai.gateway.status.QueueProbes;
import run.creativeai.gateway.status.StatusBoard;
import run.creativeai.gateway.status.StatusCatalog;
import run.creativeai.gateway.status.Subscriptions;

/**
 * The status page's adapters, each over the status table that {@code STATUS_TABLE} names (and the
 * webhook queue, for announcements), for the wirings of the functions that show or change the
 * status: the API (the document, subscriptions, its 5xx counts), the dispatcher (circuit incidents,
 * probes), the webhook function (notices, its failure counts), the status function and the status
 * command.
 */
public final class StatusAdapters {
    /** Age of a tier queue's oldest message past which the queues count as degraded, unless the template says. */
    public static final Duration DEFAULT_QUEUE_AGE = Duration.ofMinutes(5);

    private StatusAdapters() {
    }

    static String table(Components c) {
        return c.environment().required(Components.STATUS_TABLE);
    }

    public static DynamoDbStatusPublication publication(Components c) {
        return new DynamoDbStatusPublication(c.dynamoDb(), table(c));
    }

    public static PublishedStatus published(Components c) {
        return new PublishedStatus(publication(c), c.clock());
    }

    public static DynamoDbNoticeStore notices(Components c) {
        return new DynamoDbNoticeStore(c.dynamoDb(), table(c));
    }

    public static DynamoDbUptimeLedger uptime(Components c) {
        return new DynamoDbUptimeLedger(c.dynamoDb(), table(c));
    }

    public static DynamoDbHealthCounters counters(Components c) {
        return new DynamoDbHealthCounters(c.dynamoDb(), table(c));
    }

    /** Where a function counts its answers or attempts for the status page. */
    public static HealthTally tally(Components c, HealthSignal signal) {
        return new HealthTally(signal, counters(c), c.clock());
    }

    public static QueueProbes probes(Components c) {
        return new DynamoDbQueueProbes(c.dynamoDb(), table(c), Adapters.tierQueues(c));
    }

    public static Subscriptions subscriptions(Components c) {
        return new Subscriptions(new DynamoDbSubscriptionStore(c.dynamoDb(), table(c), c.clock()), c.clock());
    }

    /** The thresholds of the measured components: the queue age from {@code STATUS_QUEUE_AGE_SECONDS}. */
    public static HealthPolicy policy(Components c) {
        return HealthPolicy.standard(Duration.ofSeconds(c.environment().integer(Components.STATUS_QUEUE_AGE_SECONDS,
                (int) DEFAULT_QUEUE_AGE.toSeconds())));
    }

    public static StatusBoard board(Components c, ModelCatalog models) {
        DynamoDbStatusPublication publication = publication(c);
        return new StatusBoard(new StatusCatalog(models), Adapters.circuits(c), notices(c), uptime(c), publication,
                publication, policy(c), ConcurrentCalls.AT_ONCE);
    }

    /** Announcements go out as broadcasts on the webhook queue. */
    public static NoticeAnnouncer announcer(Components c) {
        return new NoticeAnnouncer(notices(c), new SqsStatusAnnouncements(
                new SqsQueue(c::sqs, c.environment().required(Components.WEBHOOK_QUEUE_URL))));
    }

    public static Incidents incidents(Components c, StatusBoard board) {
        return new Incidents(board.catalog(), notices(c), announcer(c), board, IdSource.random(c.clock()), c.clock());
    }
}
