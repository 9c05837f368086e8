package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;
import run.creativeai.gateway.admission.JobCreation;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobId;
import run.creativeai.gateway.job.JobStore;
import run.creativeai.gateway.limits.AdmissionDecision;
import run.creativeai.gateway.limits.Creation;
import run.creativeai.gateway.limits.CreditReservation;
import run.creativeai.gateway.limits.LimitCharge;
import run.creativeai.gateway.limits.LimitState;
import run.creativeai.gateway.limits.Limiter;
import run.creativeai.gateway.tenant.ApiKeyDirectory;
import run.creativeai.gateway.tenant.ApiKeyRecord;

/**
 * What every log line of an invocation carries, through SLF4J's MDC: the function, Lambda's request
 * id, whether this invocation started its execution environment (cold start), and once known the
 * job and tenant it works on. The job and tenant are noted by decorators of the job store and the
 * key directory, so the domain never deals with logging context. Never a key or a secret: only ids.
 */
public final class LogContext {
    public static final String FUNCTION_NAME = "function_name";
    public static final String REQUEST_ID = "request_id";
    public static final String COLD_START = "cold_start";
    public static final String JOB_ID = "job_id";
    public static final String TENANT_ID = "tenant_id";
    /**
     * {@code "true"} on every line logged while the function primes ({@link Priming}): the jobs and
     * calls it names are its rehearsals', which no tenant made, and a filter on this field sets them apart.
     */
    public static final String PRIMING = "priming";
    /** Whether this thread is priming: the invocations a priming makes clear their context as they end. */
    private static final ThreadLocal<Boolean> PRIMING_NOW = ThreadLocal.withInitial(() -> false);

    private final AtomicBoolean cold = new AtomicBoolean(true);

    /** One per handler instance, that is per execution environment: its first invocation is the cold start. */
    public LogContext() {
    }

    /**
     * Opens an invocation's context on this thread; closing it clears the context. Lambda always
     * passes a context; a caller that passes none (a test invoking the handler directly) gets the
     * cold-start flag alone.
     */
    public Invocation begin(Context context) {
        MDC.clear();
        if (context != null) {
            MDC.put(FUNCTION_NAME, context.getFunctionName());
            MDC.put(REQUEST_ID, context.getAwsRequestId());
        }
        MDC.put(COLD_START, Boolean.toString(cold.getAndSet(false)));
        markPriming();
        return () -> {
            MDC.clear();
            markPriming();
        };
    }

    /**
     * Marks what is logged from now until closed as the priming's ({@link #PRIMING}), on this thread's
     * lines inside invocations and out, and on the workers' lines made for them.
     */
    static Invocation priming() {
        PRIMING_NOW.set(true);
        markPriming();
        return () -> {
            PRIMING_NOW.remove();
            MDC.remove(PRIMING);
        };
    }

    private static void markPriming() {
        if (PRIMING_NOW.get()) {
            MDC.put(PRIMING, "true");
        }
    }

    /** An invocation's context, closed when the handler returns. */
    @FunctionalInterface
    public interface Invocation extends AutoCloseable {
        @Override
        void close();
    }

    /** The context of the calling thread, for work handed to other threads (SQS records processed side by side). */
    static Map<String, String> capture() {
        return Optional.ofNullable(MDC.getCopyOfContextMap()).orElse(Map.of());
    }

    static void restore(Map<String, String> context) {
        MDC.setContextMap(context);
    }

    static void note(Job job) {
        MDC.put(JOB_ID, job.id().value());
        MDC.put(TENANT_ID, job.tenantId().value());
    }

    /** Notes each job read or written on this thread's log context. */
    public static JobStore noting(JobStore jobs) {
        return new JobStore() {
            @Override
            public boolean create(Job job) {
                note(job);
                return jobs.create(job);
            }

            @Override
            public Optional<Job> find(JobId id) {
                MDC.put(JOB_ID, id.value());
                Optional<Job> job = jobs.find(id);
                job.ifPresent(LogContext::note);
                return job;
            }

            @Override
            public boolean update(Job next) {
                note(next);
                return jobs.update(next);
            }

            @Override
            public boolean settled(Job job) {
                note(job);
                return jobs.settled(job);
            }
        };
    }

    /** Notes the tenant of each key found (its id, never the key or its hash). */
    /** Notes the job an admission creates, which a limiter may write in its own transaction, past the job store. */
    public static Limiter noting(Limiter limiter) {
        return new Limiter() {
            @Override
            public AdmissionDecision admit(List<LimitCharge> charges, Optional<CreditReservation> credits, Instant now) {
                return limiter.admit(charges, credits, now);
            }

            @Override
            public AdmissionDecision admitCreating(List<LimitCharge> charges, Optional<CreditReservation> credits,
                    Creation created, Instant now) {
                if (created instanceof JobCreation creation) {
                    note(creation.job());
                }
                return limiter.admitCreating(charges, credits, created, now);
            }

            @Override
            public List<LimitState> peek(List<LimitCharge> charges, Instant now) {
                return limiter.peek(charges, now);
            }
        };
    }

    public static ApiKeyDirectory noting(ApiKeyDirectory keys) {
        return hash -> {
            Optional<ApiKeyRecord> found = keys.findByHash(hash);
            found.ifPresent(k -> MDC.put(TENANT_ID, k.tenantId().value()));
            return found;
        };
    }
}
