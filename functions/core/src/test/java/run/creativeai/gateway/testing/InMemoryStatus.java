package run.creativeai.gateway.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.provider.CircuitBreaker;
import run.creativeai.gateway.provider.CircuitState;
import run.creativeai.gateway.provider.CircuitTransition;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.gateway.status.ComponentId;
import run.creativeai.gateway.status.ComponentStatus;
import run.creativeai.gateway.status.HealthCounters;
import run.creativeai.gateway.status.HealthSignal;
import run.creativeai.gateway.status.Notice;
import run.creativeai.gateway.status.NoticeStore;
import run.creativeai.gateway.status.QueueProbes;
import run.creativeai.gateway.status.Readings;
import run.creativeai.gateway.status.ReadingsStore;
import run.creativeai.gateway.status.StatusPublication;
import run.creativeai.gateway.status.Subscription;
import run.creativeai.gateway.status.SubscriptionStore;
import run.creativeai.gateway.status.UptimeLedger;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.webhook.NoticeEvent;

/**
 * The status page's stores in memory, with the same contracts as the DynamoDB adapters (which have
 * their own tests against DynamoDB Local): for the domain's unit tests, driven by a hand-moved clock.
 */
public final class InMemoryStatus {
    private InMemoryStatus() {
    }

    public static final class Notices implements NoticeStore {
        private final Map<String, Notice> all = new LinkedHashMap<>();
        private final Map<String, Integer> announced = new HashMap<>();

        @Override
        public synchronized List<Notice> open() {
            return all.values().stream().filter(Notice::isOpen).toList();
        }

        @Override
        public synchronized List<Notice> closedSince(Instant from) {
            return all.values().stream().filter(n -> n.closedAt().filter(at -> !at.isBefore(from)).isPresent())
                    .sorted(Comparator.comparing((Notice n) -> n.closedAt().orElseThrow()).reversed()).toList();
        }

        @Override
        public synchronized Optional<Notice> find(String id) {
            return Optional.ofNullable(all.get(id));
        }

        @Override
        public synchronized boolean create(Notice notice) {
            return all.putIfAbsent(notice.id(), notice) == null;
        }

        @Override
        public synchronized boolean replace(Notice current, Notice next) {
            Notice stored = all.get(current.id());
            if (stored == null || stored.version() != current.version() || !stored.isOpen()) {
                return false;
            }
            all.put(next.id(), next);
            return true;
        }

        @Override
        public synchronized Map<String, Integer> announced(Collection<String> ids) {
            Map<String, Integer> found = new HashMap<>();
            ids.forEach(id -> found.put(id, announced.getOrDefault(id, 0)));
            return found;
        }

        @Override
        public synchronized void markAnnounced(String id, int number) {
            announced.merge(id, number, Math::max);
        }
    }

    public static final class Publication implements StatusPublication, ReadingsStore {
        private long generations;
        private long published = -1;
        private String document;
        private Readings readings;

        @Override
        public synchronized long nextGeneration() {
            return ++generations;
        }

        @Override
        public synchronized boolean publish(long generation, Instant at, String doc) {
            if (generation <= published) {
                return false;
            }
            published = generation;
            document = doc;
            return true;
        }

        @Override
        public synchronized Optional<String> current() {
            return Optional.ofNullable(document);
        }

        @Override
        public synchronized void save(Readings r) {
            readings = r;
        }

        @Override
        public synchronized Optional<Readings> latest() {
            return Optional.ofNullable(readings);
        }
    }

    public static final class Uptime implements UptimeLedger {
        private final Map<LocalDate, Map<ComponentId, Map<ComponentStatus, Integer>>> days = new TreeMap<>();
        private final Map<LocalDate, Instant> last = new HashMap<>();

        @Override
        public synchronized boolean record(Instant minute, Map<ComponentId, ComponentStatus> statuses) {
            LocalDate day = LocalDate.ofInstant(minute, ZoneOffset.UTC);
            Instant before = last.get(day);
            if (before != null && !before.isBefore(minute)) {
                return false;
            }
            last.put(day, minute);
            Map<ComponentId, Map<ComponentStatus, Integer>> counts = days.computeIfAbsent(day, d -> new HashMap<>());
            statuses.forEach((c, s) -> counts.computeIfAbsent(c, x -> new EnumMap<>(ComponentStatus.class))
                    .merge(s, 1, Integer::sum));
            return true;
        }

        @Override
        public synchronized List<UptimeDay> days(LocalDate from, LocalDate to) {
            List<UptimeDay> found = new ArrayList<>();
            days.forEach((day, counts) -> {
                if (!day.isBefore(from) && !day.isAfter(to)) {
                    found.add(new UptimeDay(day, counts, Optional.ofNullable(last.get(day))));
                }
            });
            return found;
        }
    }

    public static final class Counters implements HealthCounters {
        private final Map<HealthSignal, Map<Instant, Counts>> minutes = new EnumMap<>(HealthSignal.class);

        @Override
        public synchronized void add(HealthSignal signal, Instant minute, long total, long failed) {
            minutes.computeIfAbsent(signal, s -> new TreeMap<>()).merge(minute, new Counts(total, failed),
                    (a, b) -> new Counts(a.total() + b.total(), a.failed() + b.failed()));
        }

        @Override
        public synchronized Counts sum(HealthSignal signal, Instant from, Instant to) {
            long total = 0;
            long failed = 0;
            for (Map.Entry<Instant, Counts> e : minutes.getOrDefault(signal, Map.of()).entrySet()) {
                if (!e.getKey().isBefore(from) && e.getKey().isBefore(to)) {
                    total += e.getValue().total();
                    failed += e.getValue().failed();
                }
            }
            return new Counts(total, failed);
        }
    }

    /** Probes that reach the dispatcher only when a test says so ({@link #arrive}). */
    public static final class Probes implements QueueProbes {
        private final Map<Tier, Instant> waiting = new EnumMap<>(Tier.class);
        public final List<Tier> sent = new ArrayList<>();

        @Override
        public synchronized Optional<Instant> waitingSince(Tier tier) {
            return Optional.ofNullable(waiting.get(tier));
        }

        @Override
        public synchronized Optional<Instant> probe(Tier tier, Instant at) {
            if (waiting.containsKey(tier)) {
                return Optional.of(waiting.get(tier));
            }
            waiting.put(tier, at);
            sent.add(tier);
            return Optional.of(at);
        }

        @Override
        public synchronized void received(Tier tier, Instant sentAt) {
            waiting.remove(tier, sentAt);
        }

        /** Every waiting probe reaches the dispatcher. */
        public synchronized void arrive() {
            waiting.clear();
        }
    }

    /** Circuits a test sets by hand, with the transitions a real one would report. */
    public static final class Circuits implements CircuitBreaker {
        private final Map<String, CircuitState> states = new HashMap<>();
        private final Map<String, Runnable> afterNextRead = new HashMap<>();

        /** Runs {@code change} once, right after the next read of {@code provider}'s circuit: a writer racing the reader. */
        public synchronized void afterNextRead(String provider, Runnable change) {
            afterNextRead.put(provider, change);
        }

        public synchronized void trip(String provider, Instant at, Unavailability kind) {
            states.put(provider, new CircuitState(CircuitStatus.OPEN, Optional.of(at), Optional.of(at), 5,
                    java.util.Set.of(kind), Optional.of(at.plusSeconds(30))));
        }

        public synchronized void close(String provider) {
            states.remove(provider);
        }

        @Override
        public Permission acquire(String provider, Instant now) {
            return status(provider, now) == CircuitStatus.CLOSED ? Permission.ALLOWED : Permission.DENIED;
        }

        @Override
        public CircuitTransition succeeded(String provider, Instant now) {
            return CircuitTransition.UNCHANGED;
        }

        @Override
        public CircuitTransition failed(String provider, Unavailability kind, Instant now) {
            return CircuitTransition.UNCHANGED;
        }

        @Override
        public synchronized CircuitStatus status(String provider, Instant now) {
            return describe(provider, now).status();
        }

        @Override
        public synchronized CircuitState describe(String provider, Instant now) {
            CircuitState read = states.getOrDefault(provider, CircuitState.closed());
            Runnable change = afterNextRead.remove(provider);
            if (change != null) {
                change.run();
            }
            return read;
        }
    }

    public static final class Subscriptions implements SubscriptionStore {
        private final Map<String, Subscription> all = new LinkedHashMap<>();
        private final Map<String, List<WebhookAttempt>> attempts = new HashMap<>();

        @Override
        public synchronized Created create(Subscription subscription, int limit) {
            if (all.containsKey(subscription.id())) {
                return Created.EXISTS;
            }
            if (of(subscription.tenant()).size() >= limit) {
                return Created.LIMIT_REACHED;
            }
            all.put(subscription.id(), subscription);
            return Created.CREATED;
        }

        @Override
        public synchronized Optional<Subscription> find(TenantId tenant, String id) {
            return Optional.ofNullable(all.get(id)).filter(s -> s.tenant().equals(tenant));
        }

        @Override
        public synchronized List<Subscription> of(TenantId tenant) {
            return all.values().stream().filter(s -> s.tenant().equals(tenant)).toList();
        }

        @Override
        public synchronized List<Subscription> all() {
            return List.copyOf(all.values());
        }

        @Override
        public synchronized boolean delete(TenantId tenant, String id) {
            return find(tenant, id).isPresent() && all.remove(id) != null;
        }

        @Override
        public synchronized List<WebhookAttempt> attempts(String subscriptionId, String eventId) {
            return List.copyOf(attempts.getOrDefault(subscriptionId + " " + eventId, List.of()));
        }

        @Override
        public synchronized void record(Subscription subscription, String eventType, WebhookAttempt attempt) {
            attempts.computeIfAbsent(subscription.id() + " " + attempt.eventId(), k -> new ArrayList<>()).add(attempt);
            all.computeIfPresent(subscription.id(), (id, s) -> new Subscription(s.id(), s.tenant(), s.url(), s.createdAt(),
                    Optional.of(new Subscription.Delivery(eventType, attempt))));
        }
    }

    /** What was announced to the subscriptions, in order. */
    public static final class Announcements implements run.creativeai.gateway.status.StatusAnnouncements {
        public final List<NoticeEvent> events = new ArrayList<>();

        @Override
        public synchronized void announce(NoticeEvent event) {
            events.add(event);
        }

        public synchronized List<String> types() {
            return events.stream().map(NoticeEvent::type).toList();
        }
    }
}
