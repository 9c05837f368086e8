package run.creativeai.gateway.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import java.time.Instant;
import run.creativeai.gateway.concurrency.ProviderCapacity;
import run.creativeai.gateway.concurrency.LapsingCount;
import run.creativeai.gateway.concurrency.SlotClaim;
import run.creativeai.gateway.concurrency.SlotGrant;
import run.creativeai.gateway.concurrency.SlotPool;
import run.creativeai.gateway.concurrency.SlotUsage;
import run.creativeai.gateway.concurrency.Tally;
import run.creativeai.gateway.concurrency.TenantConcurrency;
import run.creativeai.gateway.job.AttemptOutcome;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.Output;
import run.creativeai.gateway.job.ProviderAttempt;
import run.creativeai.gateway.job.WebhookAttempt;
import run.creativeai.gateway.job.WebhookEventKind;
import run.creativeai.gateway.job.StoredOutput;
import run.creativeai.gateway.model.ModelCatalog;
import run.creativeai.gateway.plan.PlanCatalog;
import run.creativeai.gateway.provider.CancelOutcome;
import run.creativeai.gateway.provider.ProgressOutcome;
import run.creativeai.gateway.provider.ProviderClient;
import run.creativeai.gateway.provider.ProviderJobRef;
import run.creativeai.gateway.provider.ProviderRequest;
import run.creativeai.gateway.provider.SubmitOutcome;
import run.creativeai.gateway.provider.Unavailability;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.InMemoryOutputStore;
import run.creativeai.gateway.testing.InMemorySlotPool;
import run.creativeai.gateway.testing.Jobs;
import run.creativeai.gateway.testing.MutableClock;
import run.creativeai.gateway.testing.TierCapsOfTheSeeds;
import run.creativeai.gateway.webhook.EventId;

class DispatcherTest {
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final InMemoryJobStore jobs = new InMemoryJobStore();
    private final Map<String, ScriptedProvider> providers = new HashMap<>();
    private final List<ProgressCheck> scheduled = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final List<Job> ended = new ArrayList<>();
    private final List<Job> started = new ArrayList<>();
    private final InMemorySlotPool slots = new InMemorySlotPool();
    private final InMemorySlotPool tenantSlots = new InMemorySlotPool();
    /** Slot releases asked for (whether or not they freed a slot), provider and tenant pools together. */
    private final List<String> releases = new ArrayList<>();
    /** The slots freed, provider then tenant, at each announcement of an end. */
    private final List<List<List<String>>> freedWhenAnnounced = new ArrayList<>();
    private final List<Job> requeued = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();

    /** A deadline timer the dispatcher set again. */
    private record Timer(JobId job, java.time.Duration delay) {
    }

    /** Every settlement asked for, repeats included (the ledger makes them one). */
    private final List<Job> settled = new ArrayList<>();
    private final List<Duration> requeueDelays = new ArrayList<>();
    private final InMemoryOutputStore outputs = new InMemoryOutputStore();
    private final Dispatcher dispatcher = new Dispatcher(jobs, ModelCatalog.defaults(),
            name -> providers.computeIfAbsent(name, ScriptedProvider::new), outputs,
            (check, delay) -> {
                scheduled.add(check);
                delays.add(delay);
            },
            job -> {
                ended.add(job);
                freedWhenAnnounced.add(List.of(slots.freed(), tenantSlots.freed()));
            }, started::add, PollSchedule.standard(),
            new CallbackUrls(Optional.of(java.net.URI.create("https://api.example.com"))),
            TenantConcurrency.standard(counting(tenantSlots), PlanCatalog.defaults(), ModelCatalog.defaults(),
                    PollSchedule.standard(), TierCapsOfTheSeeds.CAPS, TierCapsOfTheSeeds.SHARDS),
            // One slot each at seedream and sdxl, so a second job finds them full.
            ProviderCapacity.configured(counting(slots), ModelCatalog.defaults(), Optional.of("{\"seedream\":1,\"sdxl\":1}"),
                    0.1, PollSchedule.standard()),
            (job, delay) -> {
                requeued.add(job);
                requeueDelays.add(delay);
            }, settled::add, clock, run.creativeai.gateway.dispatch.InputUrls.uploadsOnly(
                    (upload, valid) -> java.net.URI.create("https://uploads.example.com/" + upload.value())),
            (job, delay) -> timers.add(new Timer(job, delay)));

    /** The pool, with every release asked of it noted in {@link #releases}. */
    private SlotPool counting(SlotPool pool) {
        return new SlotPool() {
            @Override
            public SlotGrant acquire(SlotClaim claim, Instant now) {
                return pool.acquire(claim, now);
            }

            @Override
            public boolean release(String name, String holder, Optional<String> holderClass) {
                releases.add(holder);
                return pool.release(name, holder, holderClass);
            }

            @Override
            public SlotUsage usage(String name, Instant now) {
                return pool.usage(name, now);
            }

            @Override
            public SetAside setAside(String name, long poolCapacity, String owner, String ownPool, long slots) {
                return pool.setAside(name, poolCapacity, owner, ownPool, slots);
            }

            @Override
            public SlotGrant acquireSetAside(String ownPool, String holder, Instant leaseUntil, Instant now) {
                return pool.acquireSetAside(ownPool, holder, leaseUntil, now);
            }

            @Override
            public void count(String name, List<LapsingCount> counts, Instant now) {
                pool.count(name, counts, now);
            }

            @Override
            public SlotUsage counted(String name, Instant now) {
                return pool.counted(name, now);
            }

            @Override
            public Optional<Tally> tally(String holder) {
                return pool.tally(holder);
            }

            @Override
            public boolean recordTally(Tally tally, long replacing) {
                return pool.recordTally(tally, replacing);
            }

            @Override
            public boolean forgetTally(String holder, long version) {
                return pool.forgetTally(holder, version);
            }
        };
    }

    private Job stored(Job job) {
        jobs.create(job);
        return job;
    }

    private Job reload(Job job) {
        return jobs.find(job.id()).orElseThrow();
    }

    private ScriptedProvider provider(String name) {
        return providers.computeIfAbsent(name, ScriptedProvider::new);
    }

    @Test
    void aQueuedJobIsSubmittedToItsFirstLinkAndCheckedOnLater() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());

        Job running = reload(job);
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.currentAttempt().flatMap(ProviderAttempt::providerJobId)).contains("seedream-1");
        assertThat(provider("seedream").submissions).hasSize(1);
        assertThat(scheduled).containsExactly(new ProgressCheck(job.id(), 1, 1));
        assertThat(delays.get(0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCompletedProviderRequestSucceedsTheJobAndAnnouncesTheEnding() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        clock.advance(Duration.ofSeconds(1));
        dispatcher.checkProgress(scheduled.get(0));

        Job done = reload(job);
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.outputs()).singleElement().isInstanceOfSatisfying(StoredOutput.class, stored -> {
            assertThat(stored.key()).isEqualTo("outputs/" + job.id() + "/1/0.png");
            assertThat(stored.sha256()).isEqualTo(InMemoryOutputStore.sha256("https://cdn/1.png".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            assertThat(stored.contentType()).isEqualTo("image/png");
        });
        assertThat(outputs.objects).containsEntry("outputs/" + job.id() + "/1/0.png", "https://cdn/1.png");
        assertThat(ended).extracting(Job::id).containsExactly(job.id());
    }

    @Test
    void theSlotsAreGivenBackBeforeTheEndIsAnnouncedAndAJobWithoutAWebhookIsSettledThere() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));

        assertThat(freedWhenAnnounced).as("the provider slot and the tenant slot were free when the end was announced")
                .singleElement().satisfies(freed -> {
                    assertThat(freed.get(0)).hasSize(1);
                    assertThat(freed.get(1)).isEqualTo(tenantSlots.freed());
                });
        assertThat(jobs.isSettled(job.id())).as("nothing is left for the reconciler to watch").isTrue();
    }

    @Test
    void aJobWithAWebhookIsLeftWatchedUntilItsFirstAttemptIsRecorded() {
        Job job = stored(Jobs.queued(Jobs.image("seedream", Optional.of(java.net.URI.create("https://example.com/hook"))),
                "seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(jobs.isSettled(job.id())).as("its webhook is still to be attempted").isFalse();

        Job ended = reload(job);
        jobs.update(ended.webhookAttempted(new WebhookAttempt(1, EventId.of(ended.id(), ended.status()), clock.instant(),
                Optional.of(200), Optional.empty(), 20)));
        assertThat(jobs.isSettled(job.id())).isTrue();
    }

    @Test
    void anAttemptOfAJobsStartLeavesItWatchedAndOnlyAnAttemptOfItsEndSettlesIt() {
        Job job = stored(Jobs.queued(hearing(Set.of(WebhookEventKind.START, WebhookEventKind.COMPLETED)), "seedream",
                clock.instant()));
        dispatcher.start(job.id());
        jobs.update(reload(job).webhookAttempted(new WebhookAttempt(1, EventId.started(job.id()), clock.instant(),
                Optional.of(200), Optional.empty(), 20)));
        assertThat(jobs.isSettled(job.id())).as("running").isFalse();

        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(jobs.isSettled(job.id())).as("ended, with only its start attempted").isFalse();
        Job ended = reload(job);
        jobs.update(ended.webhookAttempted(new WebhookAttempt(2, EventId.started(job.id()), clock.instant(),
                Optional.of(200), Optional.empty(), 20)));
        assertThat(jobs.isSettled(job.id())).as("a late attempt of its start on the ended job").isFalse();

        ended = reload(job);
        jobs.update(ended.webhookAttempted(new WebhookAttempt(1, EventId.of(ended.id(), ended.status()), clock.instant(),
                Optional.of(200), Optional.empty(), 20)));
        assertThat(jobs.isSettled(job.id())).as("its end attempted").isTrue();
    }

    @Test
    void aJobWhoseStartIsDeliveredWhileItsResultIsCollectedStillSucceedsWithTheAttemptKept() {
        Job job = startedAtSeedreamWithItsStartRecordedDuringTheNextCheck();
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));

        Job done = reload(job);
        assertThat(done.status()).as("ended by the check, not left for the reconciler").isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.webhookAttempts()).as("the started delivery is still on record")
                .extracting(WebhookAttempt::eventId).containsExactly(EventId.started(job.id()));
        assertThat(ended).as("the end is announced once, so its webhook goes once").extracting(Job::id)
                .containsExactly(job.id());
        assertThat(settled).extracting(Job::id).containsExactly(job.id());
        assertThat(releases).as("the provider slot and the tenant slot are given back").isNotEmpty();
    }

    @Test
    void aJobWhoseStartIsDeliveredWhileItsProviderFailsFailsOverToTheNextLink() {
        Job job = startedAtSeedreamWithItsStartRecordedDuringTheNextCheck();
        provider("seedream").progress.add(new ProgressOutcome.Failed(Unavailability.SERVER_ERROR, "HTTP 500"));
        dispatcher.checkProgress(scheduled.get(0));

        Job failedOver = reload(job);
        assertThat(failedOver.attempts()).as("the next link took the job over").hasSize(2);
        assertThat(failedOver.currentAttempt().flatMap(ProviderAttempt::providerJobId)).isPresent();
        assertThat(failedOver.webhookAttempts()).extracting(WebhookAttempt::eventId)
                .containsExactly(EventId.started(job.id()));
    }

    @Test
    void aJobWhoseWebhookHearsOnlyItsStartIsSettledWhenItsEndIsAnnounced() {
        Job job = stored(Jobs.queued(hearing(Set.of(WebhookEventKind.START)), "seedream", clock.instant()));
        dispatcher.start(job.id());
        jobs.update(reload(job).webhookAttempted(new WebhookAttempt(1, EventId.started(job.id()), clock.instant(),
                Optional.of(200), Optional.empty(), 20)));
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(jobs.isSettled(job.id())).as("no attempt of its end will ever be recorded").isTrue();
    }

    /**
     * A job whose webhook hears its start and its end, running at seedream, whose next progress check
     * has read it when the webhook worker records the started delivery on it.
     */
    private Job startedAtSeedreamWithItsStartRecordedDuringTheNextCheck() {
        Job job = stored(Jobs.queued(hearing(Set.of(WebhookEventKind.START, WebhookEventKind.COMPLETED)), "seedream",
                clock.instant()));
        dispatcher.start(job.id());
        clock.advance(Duration.ofSeconds(1));
        provider("seedream").whileChecking = () -> jobs.update(reload(job).webhookAttempted(new WebhookAttempt(1,
                EventId.started(job.id()), clock.instant(), Optional.of(200), Optional.empty(), 20)));
        return job;
    }

    /** An image request whose webhook hears {@code events}. */
    private static GenerationRequest hearing(Set<WebhookEventKind> events) {
        GenerationRequest r = Jobs.image("seedream", Optional.of(java.net.URI.create("https://example.com/hook")));
        return new GenerationRequest(r.kind(), r.model(), r.prompt(), r.n(), r.size(), r.durationSeconds(), r.operation(),
                r.image(), r.mask(), r.webhookUrl(), r.metadataJson(), events);
    }

    /**
     * A job with a webhook, started at seedream, whose provider's callback prompts a look that finds it
     * done, before its first scheduled check.
     */
    private Job succeededOnItsProvidersCallback() {
        Job job = stored(Jobs.queued(Jobs.image("seedream", Optional.of(java.net.URI.create("https://example.com/hook"))),
                "seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(new ProgressCheck(job.id(), 1, ProgressCheck.ANNOUNCED));
        return job;
    }

    @Test
    void aJobThatSucceedsAsksEachOfItsSlotsBackOnceSoNoWriteIsBoundToFail() {
        Job job = succeededOnItsProvidersCallback();

        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(slots.freed()).as("the provider slot is free").hasSize(1);
        assertThat(releases).as("the provider slot (given back before the copy) and the tenant slot, once each")
                .hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aScheduledCheckThatFindsTheJobEndedAndItsWebhookAttemptedAsksNoSlotBackAgain() {
        Job job = succeededOnItsProvidersCallback();
        Job ended = reload(job);
        jobs.update(ended.webhookAttempted(new WebhookAttempt(1, EventId.of(ended.id(), ended.status()), clock.instant(),
                Optional.of(200), Optional.empty(), 20)));
        int releasesAtTheEnd = releases.size();

        dispatcher.checkProgress(scheduled.get(0));
        assertThat(releases).as("no write that could only fail").hasSize(releasesAtTheEnd);
    }

    @Test
    void aScheduledCheckThatFindsTheJobEndedWithoutAWebhookAttemptGivesItsSlotsBack() {
        Job job = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(job.id());
        // The worker stored the end and died before freeing the slots.
        jobs.update(reload(job).succeed(List.of(Output.of("https://cdn/s.png", "image/png")), clock.instant()));

        int releasesAtTheEnd = releases.size();

        dispatcher.checkProgress(scheduled.get(0));
        assertThat(releases).as("its slots asked back").hasSizeGreaterThan(releasesAtTheEnd);
        assertThat(slots.freed()).as("the provider slot the dead worker held").hasSize(1);
    }

    @Test
    void theProviderSlotIsFreeWhileTheOutputsAreCopiedSoTheNextJobNeedNotWaitForTheCopy() {
        Job first = stored(Jobs.queuedImage("seedream", clock.instant()));
        Job second = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(first.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        // seedream has one slot: the second job gets it only if the first gave it back before its copy.
        outputs.whileCopying = () -> dispatcher.start(second.id());
        dispatcher.checkProgress(scheduled.get(0));

        assertThat(reload(first).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(reload(second).currentAttempt().map(ProviderAttempt::model)).contains("seedream");
        assertThat(provider("seedream").submissions).hasSize(2);
    }

    @Test
    void aCopyThatFailsIsTriedAgainByTheNextCheckUnderTheSameKeySoOneObjectIsLeft() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        Output result = Output.of("https://cdn/1.png", "image/png");
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(result)));
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(result)));
        outputs.next.add(new CopyOutcome.Failed(CopyOutcome.Side.SOURCE, "connection reset after 512 of 2048 bytes"));
        dispatcher.checkProgress(scheduled.get(0));

        assertThat(reload(job).status()).as("still running, its copy to be tried again").isEqualTo(JobStatus.RUNNING);
        ProgressCheck retry = scheduled.get(scheduled.size() - 1);
        assertThat(retry).isEqualTo(new ProgressCheck(job.id(), 1, 2, 1));
        assertThat(delays.get(delays.size() - 1)).isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        dispatcher.checkProgress(retry);

        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(outputs.copies).containsExactly("outputs/" + job.id() + "/1/0.png", "outputs/" + job.id() + "/1/0.png");
        assertThat(outputs.objects).hasSize(1);
        assertThat(provider("seedream").submissions).as("the provider is asked again, not sent the job again").hasSize(1);
    }

    @Test
    void anOutputTheProviderAlreadyDeletedFailsOverToTheNextLinkWithAClearCode() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        outputs.next.add(new CopyOutcome.Gone("HTTP 404"));
        dispatcher.checkProgress(scheduled.get(0));

        Job movedOn = reload(job);
        assertThat(movedOn.attempts()).extracting(ProviderAttempt::model, ProviderAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("seedream", AttemptOutcome.UNAVAILABLE),
                org.assertj.core.groups.Tuple.tuple("flux", AttemptOutcome.RUNNING));
        assertThat(movedOn.attempts().get(0).detail().orElseThrow()).startsWith("provider_output_expired:");
        provider("flux").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/f.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(scheduled.size() - 1));
        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(reload(job).outputs()).singleElement().extracting(o -> ((StoredOutput) o).key())
                .isEqualTo("outputs/" + job.id() + "/2/0.png");
    }

    @Test
    void theJobSaysHowLongTheProviderTookAndHowLongTheCopyTook() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        clock.advance(Duration.ofSeconds(3));
        outputs.whileCopying = () -> clock.advance(Duration.ofMillis(700));
        dispatcher.checkProgress(scheduled.get(0));

        Job done = reload(job);
        assertThat(done.inferenceTime()).contains(Duration.ofSeconds(3));
        assertThat(done.copyTime()).contains(Duration.ofMillis(700));
    }

    @Test
    void capacityErrorsWalkTheChainAndTheJobSaysWhichModelServedIt() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        provider("seedream").submit.add(new SubmitOutcome.Unavailable(Unavailability.CAPACITY, "HTTP 429"));
        provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.SERVER_ERROR, "HTTP 502"));
        dispatcher.start(job.id());

        Job running = reload(job);
        assertThat(running.attempts()).extracting(ProviderAttempt::model, ProviderAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("seedream", AttemptOutcome.UNAVAILABLE),
                org.assertj.core.groups.Tuple.tuple("flux", AttemptOutcome.UNAVAILABLE),
                org.assertj.core.groups.Tuple.tuple("sdxl", AttemptOutcome.RUNNING));
        provider("sdxl").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/s.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(reload(job).modelActual()).contains("sdxl");
        assertThat(reload(job).failoverUsed()).isTrue();
    }

    @Test
    void theCustomersOwnInvalidInputFailsTheJobWithoutFailingOver() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        provider("seedream").submit.add(new SubmitOutcome.InputRejected("prompt: violates the content policy"));
        dispatcher.start(job.id());

        Job failed = reload(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().orElseThrow().code()).isEqualTo("provider_rejected_input");
        assertThat(failed.error().orElseThrow().message()).contains("content policy");
        assertThat(provider("flux").submissions).isEmpty();
        assertThat(ended).hasSize(1);
    }

    @Test
    void whenNoLinkCanServeTheJobFailsAndIsAnnounced() {
        Job job = stored(Jobs.queuedImage("flux", clock.instant()));
        provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer"));
        provider("sdxl").submit.add(new SubmitOutcome.Unavailable(Unavailability.UNREACHABLE, "refused"));
        dispatcher.start(job.id());
        assertThat(reload(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(reload(job).error().orElseThrow().code()).isEqualTo("providers_unavailable");
        assertThat(ended).hasSize(1);
    }

    @Test
    void aRepeatedStartMessageNeverSubmitsTwice() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        dispatcher.start(job.id());
        assertThat(provider("seedream").submissions).hasSize(1);
    }

    @Test
    void aProviderThatFailsTheRequestMidWayHandsItToTheNextLink() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Failed(Unavailability.SERVER_ERROR, "runner crashed"));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(reload(job).currentAttempt().orElseThrow().model()).isEqualTo("flux");
        assertThat(provider("flux").submissions).hasSize(1);
    }

    @Test
    void anAttemptWithoutResultPastItsTimeoutFailsOver() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        clock.advance(Duration.ofMinutes(3));
        dispatcher.checkProgress(scheduled.get(0));
        Job current = reload(job);
        assertThat(current.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(current.attempts().get(0).detail().orElseThrow()).startsWith("timeout");
        assertThat(provider("seedream").cancelled).as("the abandoned request is stopped at its provider")
                .containsExactly("seedream-1");
        assertThat(current.currentAttempt().orElseThrow().model()).isEqualTo("flux");
    }

    @Test
    void theJobIsAnnouncedStartedOnceWhenItsFirstProviderAcceptsItAndNotAgainAfterAFailover() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        assertThat(started).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(job.id());
            assertThat(s.attempts()).singleElement().satisfies(a -> assertThat(a.providerJobId()).contains("seedream-1"));
        });

        clock.advance(Duration.ofMinutes(3));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(reload(job).currentAttempt().orElseThrow().providerJobId()).as("flux accepted it too").isPresent();
        assertThat(started).as("a job starts once").hasSize(1);
    }

    @Test
    void aJobNoProviderAcceptsIsNeverAnnouncedStarted() {
        Job job = stored(Jobs.queuedImage("flux", clock.instant()));
        provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer"));
        provider("sdxl").submit.add(new SubmitOutcome.Unavailable(Unavailability.UNREACHABLE, "refused"));
        dispatcher.start(job.id());
        assertThat(reload(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(started).isEmpty();
    }

    @Test
    void eachSubmissionTellsTheProviderWhereToAnnounceThatAttemptsEnd() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        assertThat(provider("seedream").submissions.get(0).callbackUrl()).contains(java.net.URI.create(
                "https://api.example.com/v1/providers/seedream/jobs/" + job.id() + "/attempts/1/callback"));
    }

    @Test
    void anAnnouncedCheckFinishesTheJobAtOnceAndOneFindingItUnfinishedSchedulesNothing() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        dispatcher.checkProgress(ProgressCheck.announced(job.id(), 1));
        assertThat(scheduled).as("only the first scheduled check").hasSize(1);
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(ProgressCheck.announced(job.id(), 1));
        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aStillRunningRequestIsCheckedAgainLaterAndAStaleCheckIsIgnored() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(scheduled).containsExactly(new ProgressCheck(job.id(), 1, 1), new ProgressCheck(job.id(), 1, 2));
        dispatcher.checkProgress(new ProgressCheck(job.id(), 7, 1));
        assertThat(provider("seedream").checks).isEqualTo(1);
    }

    @Test
    void whenEveryLinkTimesOutTheChainIsWalkedOnceMoreThenTheJobFailsWith504Semantics() {
        Job job = stored(Jobs.queuedImage("flux", clock.instant()));
        for (int round = 0; round < 2; round++) {
            provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer within 5 s"));
            provider("sdxl").submit.add(new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer within 5 s"));
        }
        dispatcher.start(job.id());

        Job failed = reload(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error().orElseThrow().code()).isEqualTo("upstream_timeout");
        assertThat(failed.error().orElseThrow().message()).contains("504");
        assertThat(failed.attempts()).extracting(ProviderAttempt::round, ProviderAttempt::model, ProviderAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "flux", AttemptOutcome.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(1, "sdxl", AttemptOutcome.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(2, "flux", AttemptOutcome.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(2, "sdxl", AttemptOutcome.TIMED_OUT));
        assertThat(ended).hasSize(1);
    }

    @Test
    void aChainThatTimedOutOnceServesTheJobInItsSecondRoundAndRecordsBoth() {
        Job job = stored(Jobs.queuedImage("flux", clock.instant()));
        provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer within 5 s"));
        dispatcher.start(job.id());
        clock.advance(Duration.ofMinutes(3));
        dispatcher.checkProgress(scheduled.get(0));

        Job retried = reload(job);
        assertThat(retried.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(retried.attempts()).extracting(ProviderAttempt::round, ProviderAttempt::model, ProviderAttempt::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "flux", AttemptOutcome.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(1, "sdxl", AttemptOutcome.TIMED_OUT),
                        org.assertj.core.groups.Tuple.tuple(2, "flux", AttemptOutcome.RUNNING));
        provider("flux").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/f.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(scheduled.size() - 1));
        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(reload(job).failoverUsed()).as("served by the link it asked for, in the second round").isFalse();
    }

    @Test
    void aChainThatFailsForAnyOtherReasonIsNotRetried() {
        Job job = stored(Jobs.queuedImage("flux", clock.instant()));
        provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.TIMEOUT, "no answer within 5 s"));
        provider("sdxl").submit.add(new SubmitOutcome.Unavailable(Unavailability.SERVER_ERROR, "HTTP 500"));
        dispatcher.start(job.id());
        assertThat(reload(job).error().orElseThrow().code()).isEqualTo("providers_unavailable");
        assertThat(reload(job).attempts()).hasSize(2);
    }

    @Test
    void aLinkWithNoFreeSlotIsPassedOverWithoutCallingItsProviderAndTheJobSaysWhy() {
        Job first = stored(Jobs.queuedImage("seedream", clock.instant()));
        Job second = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(first.id());
        dispatcher.start(second.id());

        Job served = reload(second);
        assertThat(served.attempts()).extracting(ProviderAttempt::model, ProviderAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("seedream", AttemptOutcome.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("flux", AttemptOutcome.RUNNING));
        assertThat(served.attempts().get(0).detail().orElseThrow()).isEqualTo(
                "capacity: all 1 slots the gateway keeps for seedream are in use");
        assertThat(provider("seedream").submissions).as("seedream is never sent more than its capacity").hasSize(1);
        assertThat(requeued).isEmpty();
    }

    @Test
    void whenNoLinkHasRoomTheJobWaitsInItsQueueAndStartsWhenTheSlotFrees() {
        Job first = stored(Jobs.queuedImage("sdxl", clock.instant()));
        Job second = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(first.id());
        dispatcher.start(second.id());
        assertThat(reload(second).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(reload(second).attempts()).as("nothing recorded while it waits").isEmpty();
        assertThat(requeued).extracting(Job::id).containsExactly(second.id());
        assertThat(requeueDelays).containsExactly(Duration.ofSeconds(2));

        provider("sdxl").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/s.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        dispatcher.start(second.id());
        assertThat(reload(second).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(provider("sdxl").submissions).hasSize(2);
    }

    @Test
    void aJobWhoseRemainingLinksAreFullMidChainWaitsAndResumesAfterTheLinkItLastTried() {
        Job holder = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(holder.id());
        Job job = stored(Jobs.queuedImage("flux", clock.instant()));
        provider("flux").submit.add(new SubmitOutcome.Unavailable(Unavailability.SERVER_ERROR, "HTTP 502"));
        dispatcher.start(job.id());
        assertThat(reload(job).isBetweenLinks()).isTrue();
        assertThat(requeued).extracting(Job::id).containsExactly(job.id());

        provider("sdxl").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/s.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        dispatcher.start(job.id());
        assertThat(reload(job).attempts()).extracting(ProviderAttempt::model, ProviderAttempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("flux", AttemptOutcome.UNAVAILABLE),
                org.assertj.core.groups.Tuple.tuple("sdxl", AttemptOutcome.RUNNING));
        assertThat(provider("flux").submissions).as("the link that failed is not tried again").isEmpty();
    }

    @Test
    void aCancelledRunningJobIsStoppedAtItsProviderOnceAndFreesItsSlot() {
        Job job = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(job.id());
        jobs.update(reload(job).cancel(clock.instant()));
        dispatcher.canceled(job.id());
        dispatcher.canceled(job.id());
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(provider("sdxl").cancelled).containsExactly("sdxl-1");
        assertThat(provider("sdxl").checks).as("a cancelled job is not checked at its provider").isZero();

        Job next = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(next.id());
        assertThat(reload(next).status()).as("sdxl's only slot is free again").isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aQueuedJobWhoseDeadlinePassedIsAbortedWithoutAnyProviderCallAndRefundedInFull() {
        Job job = stored(Jobs.withCancelAfter(Jobs.queuedPricedImage("seedream", clock.instant(), "seedream", 30,
                "flux", 30, "sdxl", 4), Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(30));
        dispatcher.start(job.id());

        Job aborted = reload(job);
        assertThat(aborted.status()).isEqualTo(JobStatus.ABORTED);
        assertThat(aborted.error()).contains(Job.DEADLINE_BEFORE_START);
        assertThat(providers).as("no provider heard of a job whose deadline passed in its queue").isEmpty();
        assertThat(settled).extracting(Job::status).containsExactly(JobStatus.ABORTED);
        assertThat(settled.get(0).charge()).contains(new run.creativeai.gateway.job.Charge(30, 0));
        assertThat(ended).extracting(Job::status).containsExactly(JobStatus.ABORTED);
    }

    @Test
    void aRunningJobWhoseDeadlineTimerGoesOffIsCancelledAtItsProviderChargedAndItsSlotFreed() {
        Job job = stored(Jobs.withCancelAfter(Jobs.queuedPricedImage("sdxl", clock.instant(), "sdxl", 4),
                Duration.ofSeconds(20)));
        dispatcher.start(job.id());
        clock.advance(Duration.ofSeconds(20));
        dispatcher.deadline(job.id());
        dispatcher.deadline(job.id());

        Job canceled = reload(job);
        assertThat(canceled.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(canceled.error()).contains(Job.DEADLINE_WHILE_RUNNING);
        assertThat(provider("sdxl").cancelled).as("stopped at its provider once").containsExactly("sdxl-1");
        assertThat(canceled.charge()).as("the provider had started the work: charged as any cancel")
                .contains(new run.creativeai.gateway.job.Charge(4, 4));
        assertThat(ended).extracting(Job::status).containsExactly(JobStatus.CANCELED);

        dispatcher.checkProgress(scheduled.get(0));
        assertThat(provider("sdxl").checks).as("a job cancelled at its deadline is not looked at again").isZero();
        Job next = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(next.id());
        assertThat(reload(next).status()).as("sdxl's only slot is free again").isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aProgressCheckPastTheDeadlineCancelsTheJobEvenWhenItsTimerWasLost() {
        Job job = stored(Jobs.withCancelAfter(Jobs.queuedImage("sdxl", clock.instant()), Duration.ofSeconds(5)));
        dispatcher.start(job.id());
        clock.advance(Duration.ofSeconds(6));
        dispatcher.checkProgress(scheduled.get(0));

        assertThat(reload(job).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(provider("sdxl").cancelled).containsExactly("sdxl-1");
        assertThat(provider("sdxl").checks).isZero();
    }

    @Test
    void aTimerThatArrivesBeforeTheDeadlineIsSetAgainForTheTimeLeftAndChangesNothing() {
        Job job = stored(Jobs.withCancelAfter(Jobs.queuedImage("sdxl", clock.instant()), Duration.ofHours(1)));
        dispatcher.start(job.id());
        clock.advance(Duration.ofMinutes(15));
        dispatcher.deadline(job.id());

        assertThat(reload(job).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(timers).containsExactly(new Timer(job.id(), Duration.ofMinutes(45)));
        assertThat(provider("sdxl").cancelled).isEmpty();
    }

    @Test
    void aJobThatEndedOnItsOwnBeforeItsDeadlineIsLeftAsItEnded() {
        Job job = stored(Jobs.withCancelAfter(Jobs.queuedImage("seedream", clock.instant()), Duration.ofSeconds(10)));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        clock.advance(Duration.ofSeconds(9));
        dispatcher.checkProgress(scheduled.get(0));
        clock.advance(Duration.ofSeconds(1));
        dispatcher.deadline(job.id());

        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(provider("seedream").cancelled).isEmpty();
        assertThat(timers).isEmpty();
    }

    @Test
    void aQueuedJobCancelledBeforeItsStartNeverReachesAProvider() {
        Job job = stored(Jobs.queuedImage("sdxl", clock.instant()));
        jobs.update(job.cancel(clock.instant()));
        dispatcher.start(job.id());
        assertThat(providers).isEmpty();
    }

    @Test
    void aJobCancelledWhileItsProviderAcceptsItIsCancelledThereAndFreesItsSlot() {
        Job job = stored(Jobs.queuedImage("sdxl", clock.instant()));
        provider("sdxl").whileSubmitting = () -> jobs.update(reload(job).cancel(clock.instant()));
        dispatcher.start(job.id());
        dispatcher.canceled(job.id());
        assertThat(reload(job).status()).isEqualTo(JobStatus.CANCELED);
        assertThat(provider("sdxl").cancelled).containsExactly("sdxl-1");
        assertThat(scheduled).as("no progress check for a cancelled attempt").isEmpty();

        provider("sdxl").whileSubmitting = () -> { };
        Job next = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(next.id());
        assertThat(reload(next).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aProviderThatGoesDownMidJobHandsTheJobToTheNextLinkOnceItsCircuitOpens() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        provider("seedream").progress.add(new ProgressOutcome.Failed(Unavailability.CIRCUIT_OPEN,
                "status unknown and the circuit of seedream opened after repeated failures"));
        dispatcher.checkProgress(scheduled.get(0));
        Job moved = reload(job);
        assertThat(moved.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.UNAVAILABLE);
        assertThat(moved.attempts().get(0).detail().orElseThrow()).startsWith("circuit_open");
        assertThat(moved.currentAttempt().orElseThrow().model()).isEqualTo("flux");
    }

    @Test
    void aResumedJobWhoseChecksStoppedIsLookedAtAndItsChecksCarryOn() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(job.id());
        scheduled.clear();

        dispatcher.resume(job.id());
        assertThat(provider("seedream").checks).isEqualTo(1);
        assertThat(scheduled).as("the lost chain of checks starts again").containsExactly(new ProgressCheck(job.id(), 1, 2));

        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/r.png", "image/png"))));
        dispatcher.resume(job.id());
        assertThat(reload(job).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ended).extracting(Job::id).containsExactly(job.id());
    }

    @Test
    void aResumedJobWhoseSubmissionWasNeverRecordedMovesToTheNextLink() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        Job begun = job.beginAttempt("seedream", "seedream", 1, clock.instant());
        jobs.update(begun);
        clock.advance(Duration.ofMinutes(6));

        dispatcher.resume(job.id());
        Job resumed = reload(job);
        assertThat(resumed.attempts()).hasSize(2);
        assertThat(resumed.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(resumed.attempts().get(0).detail()).contains("timeout: the submission was never recorded");
        assertThat(resumed.attempts().get(1).model()).isEqualTo("flux");
        assertThat(resumed.attempts().get(1).providerJobId()).contains("flux-1");
        assertThat(scheduled).containsExactly(new ProgressCheck(job.id(), 2, 1));
    }

    @Test
    void aResumedJobBetweenTwoLinksBeginsTheNextOne() {
        Job job = stored(Jobs.queuedImage("seedream", clock.instant()));
        Job begun = job.beginAttempt("seedream", "seedream", 1, clock.instant());
        Job submitted = begun.attemptSubmitted("seedream-9");
        jobs.update(begun);
        jobs.update(submitted);
        jobs.update(submitted.attemptEnded(AttemptOutcome.UNAVAILABLE, "server_error: 503", clock.instant()));

        dispatcher.resume(job.id());
        assertThat(reload(job).attempts()).extracting(ProviderAttempt::model).containsExactly("seedream", "flux");
        assertThat(provider("flux").submissions).hasSize(1);
        assertThat(provider("seedream").submissions).as("the link that failed is not tried again").isEmpty();
    }

    @Test
    void aResumeOfAQueuedOrEndedJobTakesNoStep() {
        Job queued = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.resume(queued.id());
        assertThat(reload(queued).status()).as("the reconciler queues queued jobs again itself").isEqualTo(JobStatus.QUEUED);
        assertThat(provider("seedream").submissions).isEmpty();
    }

    @Test
    void aResumeOfAJobWhoseWorkerDiedAfterStoringItsEndGivesItsProviderSlotBack() {
        Job job = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(job.id());
        // The worker stored the end and died before freeing sdxl's only slot.
        jobs.update(reload(job).succeed(List.of(Output.of("https://cdn/s.png", "image/png")), clock.instant()));
        Job next = stored(Jobs.queuedImage("sdxl", clock.instant()));
        dispatcher.start(next.id());
        assertThat(reload(next).status()).as("the dead worker's slot is still taken").isEqualTo(JobStatus.QUEUED);

        dispatcher.resume(job.id());
        dispatcher.resume(job.id());
        dispatcher.start(next.id());
        assertThat(reload(next).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(provider("sdxl").cancelled).as("a job that succeeded is not cancelled at its provider").isEmpty();
    }

    /** A provider that answers from a script: accepted and in progress unless told otherwise. */
    private static final class ScriptedProvider implements ProviderClient {
        final String name;
        final Deque<SubmitOutcome> submit = new ArrayDeque<>();
        final Deque<ProgressOutcome> progress = new ArrayDeque<>();
        final List<ProviderRequest> submissions = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        /** Runs while the provider takes a submission, as a concurrent writer would. */
        Runnable whileSubmitting = () -> { };
        /** Runs while the provider answers a progress check, as a concurrent writer would. */
        Runnable whileChecking = () -> { };
        int checks;

        ScriptedProvider(String name) {
            this.name = name;
        }

        @Override
        public SubmitOutcome submit(ProviderRequest request) {
            whileSubmitting.run();
            SubmitOutcome outcome = submit.isEmpty() ? new SubmitOutcome.Submitted(name + "-" + (submissions.size() + 1))
                    : submit.poll();
            if (outcome instanceof SubmitOutcome.Submitted) {
                submissions.add(request);
            }
            return outcome;
        }

        @Override
        public ProgressOutcome progress(ProviderJobRef ref) {
            checks++;
            whileChecking.run();
            return progress.isEmpty() ? new ProgressOutcome.InProgress() : progress.poll();
        }

        @Override
        public CancelOutcome cancel(ProviderJobRef ref) {
            cancelled.add(ref.providerJobId());
            return new CancelOutcome.Canceled();
        }
    }

    @Test
    void everyEndingAsksForTheJobToBeSettledAndSoDoesEveryMessageThatFindsItEnded() {
        Job succeeded = stored(Jobs.queuedImage("seedream", clock.instant()));
        dispatcher.start(succeeded.id());
        provider("seedream").progress.add(new ProgressOutcome.Completed(List.of(Output.of("https://cdn/1.png", "image/png"))));
        dispatcher.checkProgress(scheduled.get(0));
        assertThat(settled).extracting(Job::id).containsExactly(succeeded.id());
        assertThat(settled.get(0).status()).isEqualTo(JobStatus.SUCCEEDED);

        dispatcher.checkProgress(scheduled.get(0));
        dispatcher.start(succeeded.id());
        dispatcher.resume(succeeded.id());
        assertThat(settled).as("each repeat asks again: the ledger settles once").hasSize(4)
                .allSatisfy(j -> assertThat(j.id()).isEqualTo(succeeded.id()));

        Job rejected = stored(Jobs.queuedImage("flux", clock.instant()));
        provider("flux").submit.add(new SubmitOutcome.InputRejected("prompt: violates the content policy"));
        dispatcher.start(rejected.id());
        assertThat(settled).last().satisfies(j -> assertThat(j.status()).isEqualTo(JobStatus.FAILED));
    }
}
