package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobError;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemoryLedger;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.TestOutputLinks;

class WebhookDeliveryTest {
    private static final URI HOOK = URI.create("https://hooks.example.com/creativeai");
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final Endpoint endpoint = new Endpoint();
    private final List<WebhookTask> enqueued = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final WebhookDelivery delivery = new WebhookDelivery(jobs, ledger,
            tenant -> ActiveSigningSecrets.of(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
            new WebhookSigner("X-CreativeAI-Signature"), endpoint,
            (task, delay) -> {
                enqueued.add(task);
                delays.add(delay);
            },
            WebhookSchedule.standard(), TestOutputLinks.standard(), clock);

    private static GenerationRequest withEvents(Set<WebhookEventKind> events) {
        GenerationRequest r = Jobs.image("sdxl", Optional.of(HOOK));
        return new GenerationRequest(r.kind(), r.model(), r.prompt(), r.n(), r.size(), r.durationSeconds(), r.operation(),
                r.image(), r.mask(), r.webhookUrl(), r.metadataJson(), events);
    }

    /** A job sdxl accepted, whose webhook hears {@code events}. */
    private Job startedJob(Set<WebhookEventKind> events) {
        Job job = Jobs.queued(withEvents(events), "sdxl", clock.instant())
                .beginAttempt("sdxl", "sdxl", clock.instant())
                .attemptSubmitted("sdxl-1");
        jobs.create(job);
        return job;
    }

    private Job endedJob() {
        Job job = Jobs.queued(Jobs.image("sdxl", Optional.of(HOOK)), "sdxl", clock.instant())
                .fail(new JobError("providers_unavailable", "none"), clock.instant());
        jobs.create(job);
        return job;
    }

    @Test
    void aTwoHundredIsRecordedOnTheJobWhichStopsEveryCopyWithoutALedgerWrite() {
        Job job = endedJob();
        assertThat(delivery.deliver(new WebhookTask(job.id(), 1))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        assertThat(delivery.deliver(new WebhookTask(job.id(), 1))).as("a copy of the message")
                .isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(endpoint.requests).as("POSTed once").hasSize(1);
        assertThat(ledger.delivered).as("the recorded 2xx is the mark; the ledger keeps only the claim").isEmpty();
        List<WebhookAttempt> attempts = jobs.find(job.id()).orElseThrow().webhookAttempts();
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).statusCode()).contains(200);
        assertThat(endpoint.requests.get(0).headers()).containsKeys("webhook-id", "webhook-signature",
                "X-CreativeAI-Signature");
    }

    @Test
    void failuresAreRetriedFiveSecondsAfterTheFirstFailureAndThirtyAfterTheSecondThenTheResultStaysInTheStatusApi() {
        Job job = endedJob();
        endpoint.answers.add(Optional.of(500));
        endpoint.answers.add(Optional.empty());
        endpoint.answers.add(Optional.of(404));

        assertThat(delivery.deliver(new WebhookTask(job.id(), 1))).isEqualTo(WebhookDelivery.Outcome.RETRY_SCHEDULED);
        assertThat(delays.get(0)).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        assertThat(delivery.deliver(enqueued.get(0))).isEqualTo(WebhookDelivery.Outcome.RETRY_SCHEDULED);
        assertThat(delays.get(1)).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(delivery.deliver(enqueued.get(1))).isEqualTo(WebhookDelivery.Outcome.GAVE_UP);

        List<WebhookAttempt> attempts = jobs.find(job.id()).orElseThrow().webhookAttempts();
        assertThat(attempts).extracting(WebhookAttempt::number).containsExactly(1, 2, 3);
        assertThat(attempts.get(1).error()).hasValueSatisfying(e -> assertThat(e).contains("timed out"));
        assertThat(attempts).extracting(WebhookAttempt::eventId).containsOnly(EventId.of(job.id(), job.status()));
        assertThat(ledger.delivered).isEmpty();
    }

    @Test
    void everyAttemptOfAnEventWithoutOutputsSendsTheSameBytes() {
        Job job = endedJob();
        endpoint.answers.add(Optional.of(503));
        delivery.deliver(new WebhookTask(job.id(), 1));
        clock.advance(Duration.ofSeconds(5));
        delivery.deliver(enqueued.get(0));
        assertThat(endpoint.requests.get(0).body()).isEqualTo(endpoint.requests.get(1).body());
    }

    @Test
    void everyAttemptSaysTheSameButForTheOutputsUrlsWhichAreSignedForThatAttempt() throws Exception {
        Job queued = Jobs.queued(Jobs.image("sdxl", Optional.of(HOOK)), "sdxl", clock.instant());
        Job job = queued.beginAttempt("sdxl", "sdxl", clock.instant()).attemptSubmitted("p-1").succeed(List.of(
                new StoredOutput(StoredOutput.key(queued.id(), 1, 0, "image/png"), "image/png", 10, "ab",
                        clock.instant(), Optional.empty(), Optional.empty())), clock.instant());
        jobs.create(job);
        endpoint.answers.add(Optional.of(503));
        delivery.deliver(new WebhookTask(job.id(), 1));
        clock.advance(Duration.ofSeconds(5));
        delivery.deliver(enqueued.get(0));

        var first = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(new String(endpoint.requests.get(0).body(),
                java.nio.charset.StandardCharsets.UTF_8));
        var second = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(new String(endpoint.requests.get(1).body(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(endpoint.requests.get(0).headers().get("webhook-id"))
                .isEqualTo(endpoint.requests.get(1).headers().get("webhook-id"));
        var firstOutput = (com.fasterxml.jackson.databind.node.ObjectNode) first.path("data").path("outputs").get(0);
        var secondOutput = (com.fasterxml.jackson.databind.node.ObjectNode) second.path("data").path("outputs").get(0);
        assertThat(secondOutput.path("url").asText()).as("signed for the second attempt")
                .isNotEqualTo(firstOutput.path("url").asText());
        assertThat(Instant.parse(secondOutput.path("expires_at").asText()))
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        for (var output : List.of(firstOutput, secondOutput)) {
            output.remove(List.of("url", "expires_at"));
        }
        assertThat(second).as("everything else is the same").isEqualTo(first);
    }

    @Test
    void aDeliveredEventIsNeverSentAgain() {
        Job job = endedJob();
        delivery.deliver(new WebhookTask(job.id(), 1));
        assertThat(delivery.deliver(new WebhookTask(job.id(), 1))).isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(endpoint.requests).hasSize(1);
    }

    @Test
    void aRedeliveredCopyOfAFailedAttemptIsNotMadeAgainSoTheScheduleIsNotDoubled() {
        Job job = endedJob();
        endpoint.answers.add(Optional.of(500));
        delivery.deliver(new WebhookTask(job.id(), 1));
        assertThat(delivery.deliver(new WebhookTask(job.id(), 1))).isEqualTo(WebhookDelivery.Outcome.ALREADY_ATTEMPTED);
        assertThat(endpoint.requests).hasSize(1);
        assertThat(enqueued).as("one attempt 2, scheduled by the original").hasSize(1);
    }

    @Test
    void aRequestedRedeliveryFindingAnotherAttemptInFlightJoinsIt() {
        Job job = endedJob();
        ledger.claim(EventId.of(job.id(), job.status()), clock.instant(), Duration.ofSeconds(30));
        assertThat(delivery.deliver(WebhookTask.requested(job.id()))).isEqualTo(WebhookDelivery.Outcome.IN_FLIGHT);
        assertThat(endpoint.requests).isEmpty();
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aScheduledAttemptFindingARedeliveryInFlightFollowsItInsteadOfVanishing() {
        Job job = endedJob();
        String event = EventId.of(job.id(), job.status());
        ledger.claim(event, clock.instant(), Duration.ofSeconds(30));
        assertThat(delivery.deliver(new WebhookTask(job.id(), 2))).isEqualTo(WebhookDelivery.Outcome.WAITING);
        assertThat(endpoint.requests).isEmpty();
        assertThat(enqueued).containsExactly(new WebhookTask(job.id(), 2));
        assertThat(delays).containsExactly(WebhookDelivery.FOLLOW_UP);

        ledger.release(event); // the redelivery failed
        clock.advance(WebhookDelivery.FOLLOW_UP);
        assertThat(delivery.deliver(enqueued.get(0))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        assertThat(endpoint.requests).hasSize(1);
    }

    @Test
    void eachRetryWaitsItsWholeGapAfterAFailureThatUsedTheWholeTimeout() {
        Job job = endedJob();
        endpoint.answers.add(Optional.empty());
        endpoint.answers.add(Optional.empty());
        endpoint.answers.add(Optional.empty());
        endpoint.timeTaken = Duration.ofSeconds(10);

        delivery.deliver(new WebhookTask(job.id(), 1));
        assertThat(delays.get(0)).as("attempt 1 timed out at +10 s: attempt 2 comes 5 s later").isEqualTo(Duration.ofSeconds(5));
        clock.advance(delays.get(0));
        delivery.deliver(enqueued.get(0));
        assertThat(delays.get(1)).as("attempt 2 timed out at +25 s: attempt 3 comes 30 s later").isEqualTo(Duration.ofSeconds(30));
        clock.advance(delays.get(1));
        assertThat(delivery.deliver(enqueued.get(1))).isEqualTo(WebhookDelivery.Outcome.GAVE_UP);
        Instant ended = job.timings().finishedAt().orElseThrow();
        assertThat(jobs.find(job.id()).orElseThrow().webhookAttempts()).extracting(WebhookAttempt::at)
                .containsExactly(ended, ended.plusSeconds(15), ended.plusSeconds(55));
    }

    @Test
    void theStartEventIsSignedRetriedAndDeduplicatedLikeTheEndingAndKeepsItsBytesAfterTheJobEnds() {
        Job running = startedJob(Set.of(WebhookEventKind.START, WebhookEventKind.COMPLETED));
        String startId = EventId.started(running.id());
        endpoint.answers.add(Optional.of(503));

        assertThat(delivery.deliver(new WebhookTask(running.id(), WebhookEventKind.START, 1)))
                .isEqualTo(WebhookDelivery.Outcome.RETRY_SCHEDULED);
        assertThat(enqueued).containsExactly(new WebhookTask(running.id(), WebhookEventKind.START, 2));
        assertThat(delays).containsExactly(Duration.ofSeconds(5));

        Job ended = jobs.find(running.id()).orElseThrow().succeed(List.of(Output.of("https://cdn/1.png", "image/png")),
                clock.instant());
        jobs.update(ended);
        clock.advance(Duration.ofSeconds(5));
        assertThat(delivery.deliver(enqueued.get(0))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        assertThat(delivery.deliver(new WebhookTask(running.id(), WebhookEventKind.START, 2)))
                .as("a copy of the delivered start").isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(delivery.deliver(new WebhookTask(running.id(), 1))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);

        assertThat(endpoint.requests).hasSize(3);
        assertThat(endpoint.requests.get(1).body()).as("the start's retry sends its first bytes, though the job ended")
                .isEqualTo(endpoint.requests.get(0).body());
        assertThat(endpoint.requests.get(0).headers()).containsEntry("webhook-id", startId)
                .containsEntry("X-CreativeAI-Event", "generation.started").containsKey("webhook-signature");
        assertThat(new String(endpoint.requests.get(0).body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"type\":\"generation.started\"", "\"status\":\"running\"", "\"model_actual\":\"sdxl\"");
        assertThat(endpoint.requests.get(2).headers()).containsEntry("webhook-id", EventId.of(ended.id(), ended.status()))
                .containsEntry("X-CreativeAI-Event", "generation.succeeded");
        assertThat(ledger.delivered).as("both 2xx recorded on the job, none marked in the ledger").isEmpty();
        assertThat(jobs.find(running.id()).orElseThrow().webhookAttempts())
                .extracting(WebhookAttempt::eventId, WebhookAttempt::number).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(startId, 1), org.assertj.core.groups.Tuple.tuple(startId, 2),
                        org.assertj.core.groups.Tuple.tuple(EventId.of(ended.id(), ended.status()), 1));
    }

    @Test
    void onlyTheEventsTheWebhookSubscribedToAreSent() {
        Job startOnly = startedJob(Set.of(WebhookEventKind.START));
        Job ended = startOnly.succeed(List.of(Output.of("https://cdn/1.png", "image/png")), clock.instant());
        jobs.update(ended);
        Job endOnly = startedJob(WebhookEventKind.DEFAULT);

        assertThat(delivery.deliver(new WebhookTask(ended.id(), 1))).isEqualTo(WebhookDelivery.Outcome.NOTHING_TO_DELIVER);
        assertThat(delivery.deliver(new WebhookTask(endOnly.id(), WebhookEventKind.START, 1)))
                .isEqualTo(WebhookDelivery.Outcome.NOTHING_TO_DELIVER);
        assertThat(endpoint.requests).isEmpty();
    }

    @Test
    void aJobNoProviderAcceptedHasNoStartEventToSend() {
        Job job = Jobs.queued(withEvents(Set.of(WebhookEventKind.START)), "sdxl", clock.instant())
                .beginAttempt("sdxl", "sdxl", clock.instant());
        jobs.create(job);
        assertThat(delivery.deliver(new WebhookTask(job.id(), WebhookEventKind.START, 1)))
                .isEqualTo(WebhookDelivery.Outcome.NOTHING_TO_DELIVER);
        assertThat(endpoint.requests).isEmpty();
    }

    @Test
    void aTwoHundredRecordedOnTheJobStopsEveryLaterAttemptEvenIfTheLedgerLostIt() {
        Job job = endedJob();
        delivery.deliver(new WebhookTask(job.id(), 1));
        ledger.delivered.clear();
        assertThat(delivery.deliver(new WebhookTask(job.id(), 2))).isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(delivery.deliver(WebhookTask.requested(job.id()))).isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(endpoint.requests).hasSize(1);
    }

    @Test
    void aTwoHundredThatCannotBeRecordedOnTheJobIsMarkedInTheLedgerSoNoCopyPostsItAgain() {
        Job job = endedJob();
        // Every write of the job loses (another writer each time): the 2xx cannot be recorded there.
        run.creativeai.gateway.job.JobStore refusing = new run.creativeai.gateway.job.JobStore() {
            @Override
            public boolean create(Job created) {
                return jobs.create(created);
            }

            @Override
            public Optional<Job> find(run.creativeai.gateway.job.JobId id) {
                return jobs.find(id);
            }

            @Override
            public boolean update(Job next) {
                return false;
            }

            @Override
            public boolean settled(Job settledJob) {
                return jobs.settled(settledJob);
            }
        };
        WebhookDelivery unrecorded = new WebhookDelivery(refusing, ledger,
                tenant -> ActiveSigningSecrets.of(new SigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")),
                new WebhookSigner("X-CreativeAI-Signature"), endpoint, (task, delay) -> enqueued.add(task),
                WebhookSchedule.standard(), TestOutputLinks.standard(), clock);

        assertThat(unrecorded.deliver(new WebhookTask(job.id(), 1))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        assertThat(ledger.delivered).containsExactly(EventId.of(job.id(), job.status()));
        clock.advance(Duration.ofHours(1));
        assertThat(unrecorded.deliver(new WebhookTask(job.id(), 1))).as("a copy, long after the claim's lease")
                .isEqualTo(WebhookDelivery.Outcome.ALREADY_DELIVERED);
        assertThat(endpoint.requests).as("POSTed once").hasSize(1);
    }

    @Test
    void aRequestedRedeliveryIsNumberedAfterTheScheduleAndIsNotRetriedOnFailure() {
        Job job = endedJob();
        endpoint.answers.add(Optional.of(500));
        endpoint.answers.add(Optional.of(500));
        endpoint.answers.add(Optional.of(500));
        endpoint.answers.add(Optional.of(502));
        delivery.deliver(new WebhookTask(job.id(), 1));
        delivery.deliver(enqueued.get(0));
        delivery.deliver(enqueued.get(1));
        int scheduled = enqueued.size();

        assertThat(delivery.deliver(WebhookTask.requested(job.id()))).isEqualTo(WebhookDelivery.Outcome.GAVE_UP);
        assertThat(enqueued).as("no retry of a requested attempt").hasSize(scheduled);
        assertThat(delivery.deliver(WebhookTask.requested(job.id()))).isEqualTo(WebhookDelivery.Outcome.DELIVERED);
        List<WebhookAttempt> attempts = jobs.find(job.id()).orElseThrow().webhookAttempts();
        assertThat(attempts).extracting(WebhookAttempt::number).containsExactly(1, 2, 3, 4, 5);
        assertThat(attempts.get(4).delivered()).isTrue();
        assertThat(endpoint.requests.get(4).body()).as("the same event, byte for byte").isEqualTo(endpoint.requests.get(0).body());
    }

    @Test
    void aTransportThatThrowsIsARecordedFailedAttemptWhoseClaimIsReleasedAndWhoseRetryIsScheduled() {
        Job job = endedJob();
        endpoint.throwing = new IllegalArgumentException("Port number 99999 is out of range");

        assertThat(delivery.deliver(new WebhookTask(job.id(), 1))).isEqualTo(WebhookDelivery.Outcome.RETRY_SCHEDULED);
        List<WebhookAttempt> attempts = jobs.find(job.id()).orElseThrow().webhookAttempts();
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).statusCode()).isEmpty();
        assertThat(attempts.get(0).error()).contains("not sent: the request could not be made");
        assertThat(ledger.leases).as("the claim was given back").isEmpty();
        assertThat(enqueued).containsExactly(new WebhookTask(job.id(), 2));
        assertThat(delivery.deliver(WebhookTask.requested(job.id()))).as("a requested redelivery too")
                .isEqualTo(WebhookDelivery.Outcome.GAVE_UP);
        assertThat(jobs.find(job.id()).orElseThrow().webhookAttempts()).hasSize(2);
        assertThat(ledger.leases).isEmpty();
    }

    @Test
    void aSigningSecretThatCannotBeReadGivesTheClaimBackAndSendsNothing() {
        Job job = endedJob();
        WebhookDelivery withoutSecrets = new WebhookDelivery(jobs, ledger, tenant -> {
            throw new IllegalStateException("Secrets Manager is unavailable");
        }, new WebhookSigner("X-CreativeAI-Signature"), endpoint, (task, delay) -> enqueued.add(task),
                WebhookSchedule.standard(), TestOutputLinks.standard(), clock);

        assertThatThrownBy(() -> withoutSecrets.deliver(new WebhookTask(job.id(), 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(ledger.leases).as("the message's retry finds the event free").isEmpty();
        assertThat(endpoint.requests).isEmpty();
    }

    @Test
    void aTaskMessageRoundTripsAndGarbageIsNoTask() {
        Job job = endedJob();
        assertThat(WebhookTask.fromMessage(new WebhookTask(job.id(), 2).toMessage())).contains(new WebhookTask(job.id(), 2));
        assertThat(WebhookTask.fromMessage(new WebhookTask(job.id(), WebhookEventKind.START, 3).toMessage()))
                .contains(new WebhookTask(job.id(), WebhookEventKind.START, 3));
        assertThat(WebhookTask.fromMessage("{\"job_id\":\"" + job.id() + "\",\"attempt\":1}"))
                .as("a message queued before events had names is of the terminal event")
                .contains(new WebhookTask(job.id(), 1));
        assertThat(WebhookTask.fromMessage("{\"job_id\":\"" + job.id() + "\",\"attempt\":1,\"event\":\"logs\"}")).isEmpty();
        assertThat(WebhookTask.fromMessage(WebhookTask.requested(job.id()).toMessage()))
                .contains(WebhookTask.requested(job.id()));
        assertThat(WebhookTask.fromMessage("{\"job_id\":\"" + job.id() + "\",\"event\":\"start\",\"requested\":true}"))
                .as("only an ending is redelivered on request").isEmpty();
        assertThat(WebhookTask.fromMessage("{\"job_id\":\"gen_x\",\"attempt\":1}")).isEmpty();
        assertThat(WebhookTask.fromMessage("not json")).isEmpty();
    }

    private record Request(URI url, Map<String, String> headers, byte[] body) {
    }

    private final class Endpoint implements WebhookTransport {
        final Deque<Optional<Integer>> answers = new ArrayDeque<>();
        final List<Request> requests = new ArrayList<>();
        Duration timeTaken = Duration.ZERO;
        RuntimeException throwing;

        @Override
        public Response post(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
            if (throwing != null) {
                throw throwing;
            }
            requests.add(new Request(url, headers, body));
            clock.advance(timeTaken);
            Optional<Integer> status = answers.isEmpty() ? Optional.of(200) : answers.poll();
            return new Response(status, status.isPresent() ? Optional.empty() : Optional.of("timed out after 10 s"),
                    timeTaken);
        }
    }
}
