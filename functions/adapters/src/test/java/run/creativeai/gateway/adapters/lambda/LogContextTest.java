package run.creativeai.gateway.adapters.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.tenant.ApiKeyRecord;
import run.creativeai.gateway.tenant.KeyId;
import run.creativeai.gateway.tenant.TenantId;
import run.creativeai.gateway.tenant.TenantStanding;
import run.creativeai.gateway.testing.InMemoryJobStore;
import run.creativeai.gateway.testing.Jobs;

class LogContextTest {
    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void onlyTheFirstInvocationOfAnEnvironmentIsAColdStartAndClosingClearsTheContext() {
        LogContext log = new LogContext();
        try (LogContext.Invocation first = log.begin(context("req-1"))) {
            assertThat(MDC.get(LogContext.FUNCTION_NAME)).isEqualTo("creativeai-gateway-IngressFunction");
            assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("req-1");
            assertThat(MDC.get(LogContext.COLD_START)).isEqualTo("true");
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
        try (LogContext.Invocation second = log.begin(context("req-2"))) {
            assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("req-2");
            assertThat(MDC.get(LogContext.COLD_START)).isEqualTo("false");
        }
    }

    @Test
    void theJobReadOrWrittenAndTheTenantOfAKeyFoundAreNotedButNeverTheKeyHash() {
        JobStore jobs = LogContext.noting(new InMemoryJobStore());
        Job job = Jobs.queuedImage("sdxl", Instant.parse("2026-03-01T10:00:00Z"));
        jobs.create(job);
        MDC.clear();
        jobs.find(job.id());
        assertThat(MDC.get(LogContext.JOB_ID)).isEqualTo(job.id().value());
        assertThat(MDC.get(LogContext.TENANT_ID)).isEqualTo("tenant-a");

        MDC.clear();
        ApiKeyDirectory keys = LogContext.noting(hash -> Optional.of(new ApiKeyRecord(hash, new KeyId("key_test1"),
                new TenantId("acme"), "pro", TenantStanding.ACTIVE, false)));
        keys.findByHash("secret-hash");
        assertThat(MDC.getCopyOfContextMap()).containsExactly(Map.entry(LogContext.TENANT_ID, "acme"));
    }

    private static Context context(String requestId) {
        return new Context() {
            @Override
            public String getAwsRequestId() {
                return requestId;
            }

            @Override
            public String getLogGroupName() {
                return "/aws/lambda/ingress";
            }

            @Override
            public String getLogStreamName() {
                return "stream";
            }

            @Override
            public String getFunctionName() {
                return "creativeai-gateway-IngressFunction";
            }

            @Override
            public String getFunctionVersion() {
                return "1";
            }

            @Override
            public String getInvokedFunctionArn() {
                return "arn:aws:lambda:eu-west-1:123456789012:function:creativeai-gateway-IngressFunction:live";
            }

            @Override
            public CognitoIdentity getIdentity() {
                return null;
            }

            @Override
            public ClientContext getClientContext() {
                return null;
            }

            @Override
            public int getRemainingTimeInMillis() {
                return 29_000;
            }

            @Override
            public int getMemoryLimitInMB() {
                return 1024;
            }

            @Override
            public LambdaLogger getLogger() {
                return null;
            }
        };
    }
}
