package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.admin.RedriveCommand;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;

/** The documented redrive command against the local cloud that runs template.yaml. */
@ExtendWith(LocalCloudExtension.class)
class RedriveCommandEndToEndTest {
    private static LocalCloud cloud;
    private static Api api;
    private static EndedJobs jobs;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        api = new Api(cloud);
        jobs = new EndedJobs(cloud);
    }

    private static AdminRun redrive(String... args) {
        return AdminRun.of(RedriveCommand::run, cloud, args);
    }

    @Test
    void everyQueueOfTheTemplateHasItsDeadLetterQueueAndADeadLetteredJobRunsAfterTheRedrive() {
        AdminRun list = redrive("list");
        assertThat(list.status()).as(list.err()).isZero();
        assertThat(list.out().lines()).as(list.out()).hasSize(5)
                .anySatisfy(line -> assertThat(line).contains("ProQueue").contains("ProDeadLetterQueue"))
                .anySatisfy(line -> assertThat(line).contains("WebhookQueue").contains("WebhookDeadLetterQueue"));

        // A start message that failed maxReceiveCount times, during an outage since fixed.
        String tenant = "redrive-" + System.nanoTime();
        String apiKey = cloud.issueKey(tenant, "pro").value();
        GenerationRequest request = new GenerationRequest(JobKind.IMAGE, "sdxl", "a quay", 1, Optional.of("1024x1024"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Job queued = Job.admitted(JobId.next(IdSource.random(Clock.systemUTC())), new TenantId(tenant),
                new KeyId("key_redrive0"), Tier.PRO, "pro", request, "sdxl", Instant.now());
        assertThat(Adapters.jobs(jobs.components()).create(queued)).isTrue();
        String deadLetters = cloud.runtime().resources().queueUrl("ProDeadLetterQueue");
        cloud.runtime().sqs().sendMessage(b -> b.queueUrl(deadLetters).messageBody(DispatchMessages.start(queued.id())));
        assertThat(redrive("list").out()).containsPattern("ProQueue\\S*\\s+1 waiting");

        AdminRun moved = redrive();
        assertThat(moved.status()).as(moved.err()).isZero();
        assertThat(moved.out()).containsPattern("ProQueue\\S*\\s+1 moved back \\(COMPLETED\\)");
        assertThat(api.awaitJob(queued.id().value(), apiKey, j -> j.path("status").asText().equals("succeeded"),
                Duration.ofSeconds(30)).path("status").asText()).isEqualTo("succeeded");
        assertThat(redrive().out()).contains("no dead letters to move");
    }
}
