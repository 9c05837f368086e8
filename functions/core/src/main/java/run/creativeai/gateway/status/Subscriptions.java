package run.creativeai.gateway.status;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.Deliverable;
import run.creativeai.gateway.webhook.Deliverables;
import run.creativeai.gateway.webhook.Subscribers;
import run.creativeai.gateway.webhook.WebhookEvent;
import run.creativeai.gateway.webhook.WebhookSubject;

/**
 * Tenants' subscriptions to the status notices, and the notices to deliver to them. A subscription
 * is named by its tenant and URL, so subscribing the same URL twice is the same subscription; a
 * tenant holds at most {@value #MAX_PER_TENANT}, which bounds what one notice fans out to per
 * tenant. Deliveries are the webhook function's, with the job events' signatures, schedule, ledger
 * and URL rules; their attempts are kept beside the subscription for seven days.
 */
public final class Subscriptions implements Subscribers, Deliverables {
    public static final int MAX_PER_TENANT = 10;
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final SubscriptionStore store;
    private final Clock clock;

    public Subscriptions(SubscriptionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What became of a subscription request. */
    public sealed interface Subscribed permits Created, Existing, LimitReached {
    }

    public record Created(Subscription subscription) implements Subscribed {
    }

    /** The tenant had subscribed this URL already. */
    public record Existing(Subscription subscription) implements Subscribed {
    }

    public record LimitReached(int limit) implements Subscribed {
    }

    /** Subscribes {@code url}, which the caller has checked against the webhook URL rules. */
    public Subscribed subscribe(TenantId tenant, URI url) {
        String id = idOf(tenant, url);
        Subscription subscription = new Subscription(id, tenant, url, clock.instant(), Optional.empty());
        return switch (store.create(subscription, MAX_PER_TENANT)) {
            case CREATED -> new Created(subscription);
            case EXISTS -> new Existing(store.find(tenant, id).orElse(subscription));
            case LIMIT_REACHED -> new LimitReached(MAX_PER_TENANT);
        };
    }

    public List<Subscription> list(TenantId tenant) {
        return store.of(tenant);
    }

    public boolean remove(TenantId tenant, String id) {
        return store.delete(tenant, id);
    }

    static String idOf(TenantId tenant, URI url) {
        return "sub_" + IdSource.derived(tenant.value() + " " + url);
    }

    @Override
    public List<Subscriber> all() {
        return store.all().stream().map(s -> new Subscriber(s.tenant(), s.id())).toList();
    }

    /** A notice to a subscription that still exists. */
    @Override
    public Optional<Deliverable> open(WebhookSubject subject) {
        if (!(subject instanceof WebhookSubject.Notice notice)) {
            return Optional.empty();
        }
        return store.find(notice.tenant(), notice.subscriptionId()).map(s -> new NoticeDelivery(s, notice));
    }

    private final class NoticeDelivery implements Deliverable {
        private final Subscription subscription;
        private final WebhookEvent event;

        NoticeDelivery(Subscription subscription, WebhookSubject.Notice notice) {
            this.subscription = subscription;
            this.event = WebhookEvent.notice(subscription.id(), notice.event());
        }

        @Override
        public WebhookEvent event() {
            return event;
        }

        @Override
        public URI url() {
            return subscription.url();
        }

        @Override
        public TenantId tenant() {
            return subscription.tenant();
        }

        @Override
        public List<WebhookAttempt> attempts() {
            return store.attempts(subscription.id(), event.id());
        }

        @Override
        public boolean record(WebhookAttempt attempt) {
            try {
                store.record(subscription, event.type(), attempt);
                return true;
            } catch (RuntimeException e) {
                LOG.warn("attempt {} of {} could not be recorded", attempt.number(), describe(), e);
                return false;
            }
        }

        @Override
        public String describe() {
            return "subscription " + subscription.id() + " of " + subscription.tenant();
        }
    }
}
