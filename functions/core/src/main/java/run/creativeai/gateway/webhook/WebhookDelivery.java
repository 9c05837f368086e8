package run.creativeai.gateway.webhook;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.job.OutputLinks;
import run.creativeai.gateway.job.WebhookAttempt;

/**
 * Makes one delivery attempt of a webhook event (a job's start or end, as its webhook subscribed to
 * them, or a notice to a status subscription; see {@link Deliverable}): claims the event in the
 * ledger, signs and POSTs it, records the attempt, and on failure schedules the next attempt of the
 * {@link WebhookSchedule}, its gap counted from this failure. After the last failure a job keeps its
 * result and its attempts. An event is POSTed again after a 2xx by no path: the ledger's claim stops
 * concurrent attempts, and the recorded 2xx every later one; only a 2xx that could not be recorded
 * is marked delivered in the ledger, one write fewer per delivered event.
 */
public final class WebhookDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);
    /** How soon a scheduled attempt that found the event in flight looks again. */
    static final Duration FOLLOW_UP = Duration.ofSeconds(2);

    private final Deliverables deliverables;
    private final DeliveryLedger ledger;
    private final SigningSecrets secrets;
    private final WebhookSigner signer;
    private final WebhookTransport transport;
    private final WebhookQueue queue;
    private final WebhookSchedule schedule;
    private final Clock clock;

    /** Jobs' terminal events only. */
    public WebhookDelivery(JobStore jobs, DeliveryLedger ledger, SigningSecrets secrets, WebhookSigner signer,
            WebhookTransport transport, WebhookQueue queue, WebhookSchedule schedule, OutputLinks links, Clock clock) {
        this(JobDeliverables.only(jobs, links, clock), ledger, secrets, signer, transport, queue, schedule, clock);
    }

    public WebhookDelivery(Deliverables deliverables, DeliveryLedger ledger, SigningSecrets secrets, WebhookSigner signer,
            WebhookTransport transport, WebhookQueue queue, WebhookSchedule schedule, Clock clock) {
        this.deliverables = deliverables;
        this.ledger = ledger;
        this.secrets = secrets;
        this.signer = signer;
        this.transport = transport;
        this.queue = queue;
        this.schedule = schedule;
        this.clock = clock;
    }

    public Outcome deliver(WebhookTask task) {
        Optional<Deliverable> found = deliverables.open(task.subject());
        if (found.isEmpty() || (!task.requested() && !schedule.hasAttempt(task.attempt()))) {
            LOG.warn("webhook task for {} attempt {} has nothing to deliver; dropped", task.subject().describe(),
                    task.attempt());
            return Outcome.NOTHING_TO_DELIVER;
        }
        Deliverable target = found.get();
        WebhookEvent event = target.event();
        List<WebhookAttempt> made = target.attempts();
        // The recorded attempts are the second guard: a 2xx recorded there is never followed by another
        // POST, whatever the ledger says.
        if (made.stream().anyMatch(a -> a.eventId().equals(event.id()) && a.delivered())) {
            return Outcome.ALREADY_DELIVERED;
        }
        if (!task.requested() && made.stream().anyMatch(a -> a.eventId().equals(event.id())
                && a.number() == task.attempt())) {
            // A copy of a scheduled attempt that was already made: the original scheduled the next one.
            LOG.info("attempt {} of event {} was already made; this copy stands down", task.attempt(), event.id());
            return Outcome.ALREADY_ATTEMPTED;
        }
        int number = task.requested() ? nextRequestedNumber(made) : task.attempt();
        if (number > schedule.attempts() + WebhookRedelivery.MAX_REQUESTED) {
            LOG.warn("{} has had every redelivery it may have; attempt dropped", target.describe());
            return Outcome.NOTHING_TO_DELIVER;
        }
        // The lease outlives the attempt's timeout, so a live attempt is never doubled by a redelivery.
        DeliveryLedger.Claim claim = ledger.claim(event.id(), clock.instant(),
                schedule.attemptTimeout().multipliedBy(3));
        if (claim == DeliveryLedger.Claim.IN_FLIGHT && !task.requested()) {
            // Another attempt (a copy of this one, or a requested redelivery) holds the event. This one
            // looks again shortly, until it finds the event delivered, its own number made, or the event
            // free again (at the latest when the holder's lease ends), so a failed redelivery cannot
            // swallow the schedule.
            LOG.info("event {} of {} is in flight; attempt {} looks again in {}", event.id(), target.describe(), number,
                    FOLLOW_UP);
            queue.enqueue(task, FOLLOW_UP);
            return Outcome.WAITING;
        }
        if (claim != DeliveryLedger.Claim.CLAIMED) {
            LOG.info("event {} of {} is {}; attempt {} stands down", event.id(), target.describe(), claim, number);
            return claim == DeliveryLedger.Claim.ALREADY_DELIVERED ? Outcome.ALREADY_DELIVERED : Outcome.IN_FLIGHT;
        }

        Instant sentAt = clock.instant();
        Map<String, String> headers;
        try {
            headers = headers(target, event, sentAt);
        } catch (RuntimeException e) {
            // Nothing was sent: the claim goes back at once, and the message's retry finds the event free.
            ledger.release(event.id());
            throw e;
        }
        WebhookTransport.Response response = post(target.url(), headers, event, sentAt);

        WebhookAttempt attempt = new WebhookAttempt(number, event.id(), sentAt, response.statusCode(),
                response.statusCode().filter(WebhookDelivery::isSuccess).isPresent()
                        ? Optional.empty()
                        : Optional.of(response.error().orElse("HTTP " + response.statusCode().orElse(0))),
                response.took().toMillis());
        boolean recorded = target.record(attempt);
        if (attempt.delivered()) {
            // A recorded 2xx stops every later attempt by itself (above); the ledger is told only when the
            // record could not be written, and otherwise keeps the claim until its lease ends.
            if (!recorded) {
                ledger.markDelivered(event.id(), clock.instant());
            }
            return Outcome.DELIVERED;
        }
        ledger.release(event.id());
        if (task.requested()) {
            LOG.warn("requested redelivery of event {} of {} failed: {}", event.id(), target.describe(),
                    attempt.error().orElse(""));
            return Outcome.GAVE_UP;
        }
        int next = task.attempt() + 1;
        if (schedule.hasAttempt(next)) {
            queue.enqueue(task.next(), schedule.gapAfterFailure(task.attempt()));
            return Outcome.RETRY_SCHEDULED;
        }
        LOG.warn("event {} of {} was not delivered after {} attempts; {}", event.id(), target.describe(),
                task.attempt(), task.subject() instanceof WebhookSubject.JobEvent
                        ? "the result stays in the status API" : "the status API shows the change");
        return Outcome.GAVE_UP;
    }

    private Map<String, String> headers(Deliverable target, WebhookEvent event, Instant sentAt) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "CreativeAI-Webhooks/1.0");
        headers.put("X-CreativeAI-Event", event.type());
        headers.putAll(signer.headers(event.id(), event.body(), secrets.forTenant(target.tenant()).all(), sentAt));
        return headers;
    }

    /**
     * One POST. A transport that throws instead of answering is one failed attempt like any other:
     * recorded, its claim released and the next attempt scheduled, so the message never fails over
     * and over into the dead-letter queue with nothing recorded to say why.
     */
    private WebhookTransport.Response post(URI url, Map<String, String> headers, WebhookEvent event, Instant sentAt) {
        try {
            return transport.post(url, headers, event.body(), schedule.attemptTimeout());
        } catch (RuntimeException e) {
            LOG.warn("the webhook transport failed on event {}", event.id(), e);
            return new WebhookTransport.Response(Optional.empty(), Optional.of("not sent: the request could not be made"),
                    Duration.between(sentAt, clock.instant()));
        }
    }

    /** Requested redeliveries are numbered after the schedule's attempts and every earlier redelivery. */
    private int nextRequestedNumber(List<WebhookAttempt> made) {
        int highest = made.stream().mapToInt(WebhookAttempt::number).max().orElse(0);
        return Math.max(highest, schedule.attempts()) + 1;
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** What one attempt came to. */
    public enum Outcome {
        DELIVERED,
        RETRY_SCHEDULED,
        GAVE_UP,
        ALREADY_DELIVERED,
        /** A redelivered copy of a scheduled attempt that was made already (and failed). */
        ALREADY_ATTEMPTED,
        /** A requested redelivery found another attempt in flight and joined it. */
        IN_FLIGHT,
        /** A scheduled attempt found another attempt in flight and was queued again to follow it. */
        WAITING,
        NOTHING_TO_DELIVER
    }
}
