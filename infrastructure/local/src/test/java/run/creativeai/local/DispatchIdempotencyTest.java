package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import run.creativeai.gateway.adapters.Components;
import run.creativeai.gateway.adapters.wiring.Adapters;
import run.creativeai.gateway.config.FunctionEnvironment;
import run.creativeai.gateway.config.IdSource;
import run.creativeai.gateway.dispatch.DispatchMessages;
import run.creativeai.gateway.function.dispatcher.DispatcherHandler;
import run.creativeai.gateway.job.GenerationRequest;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.model.JobKind;
import run.creativeai.gateway.plan.Tier;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;

/**
 * SQS delivers at least once, and several dispatcher instances run at once: however a start
 * message is doubled, the job is submitted to its provider once.
 */
@ExtendWith(LocalCloudExtension.class)
class DispatchIdempotencyTest {
    private static LocalCloud cloud;
    private static JobStore jobs;
    private static Map<String, String> environment;

    @BeforeAll
    static void start(LocalCloud localCloud) {
        cloud = localCloud;
        environment = cloud.runtime().function("DispatcherFunction").environment();
        jobs = Adapters.jobs(new Components(FunctionEnvironment.of(environment), Clock.systemUTC()));
    }

    private static Job queuedJob(String tenant) {
        GenerationRequest request = new GenerationRequest(JobKind.IMAGE, "flux", "a lighthouse", 1, Optional.of("1024x1024"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Job job = Job.admitted(JobId.next(IdSource.random(Clock.systemUTC())), new TenantId(tenant), new KeyId("key_race1"),
                Tier.PRO, "pro", request, "flux", Instant.now());
        assertThat(jobs.create(job)).isTrue();
        return job;
    }

    private static SQSEvent startEvent(Job job, int copies) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < copies; i++) {
            if (i > 0) {
                records.append(',');
            }
            records.append("{\"messageId\":\"m-").append(i).append("\",\"receiptHandle\":\"r\",\"body\":")
                    .append(JsonNodeFactory.instance.textNode(DispatchMessages.start(job.id())))
                    .append(",\"attributes\":{\"ApproximateReceiveCount\":\"1\"},\"messageAttributes\":{},")
                    .append("\"eventSource\":\"aws:sqs\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:q\",")
                    .append("\"awsRegion\":\"us-east-1\"}");
        }
        return LambdaEventSerializers.serializerFor(SQSEvent.class, DispatchIdempotencyTest.class.getClassLoader())
                .fromJson("{\"Records\":[" + records + "]}");
    }

    @Test
    void twoDispatcherInstancesRacingOnOneJobSubmitItOnce() throws Exception {
        Job job = queuedJob("race-two-instances");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<SQSBatchResponse>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DispatcherHandler instance = new DispatcherHandler(environment);
            results.add(pool.submit(() -> {
                go.await();
                return instance.handleRequest(startEvent(job, 1), null);
            }));
        }
        go.countDown();
        for (Future<SQSBatchResponse> result : results) {
            assertThat(result.get().getBatchItemFailures()).isEmpty();
        }
        pool.shutdown();
        assertThat(cloud.services().providers().submissionsFor("flux", job.id().value())).isEqualTo(1);
        assertThat(jobs.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(jobs.find(job.id()).orElseThrow().attempts()).hasSize(1);
    }

    @Test
    void aStartMessageDeliveredTwiceInOneBatchSubmitsOnce() {
        Job job = queuedJob("race-duplicate-message");
        SQSBatchResponse response = new DispatcherHandler(environment).handleRequest(startEvent(job, 3), null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(cloud.services().providers().submissionsFor("flux", job.id().value())).isEqualTo(1);
    }
}
