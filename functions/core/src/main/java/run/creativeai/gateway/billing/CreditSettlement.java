package run.creativeai.gateway.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.job.Charge;
import run.creativeai.gateway.job.Job;
import run.creativeai.gateway.job.JobStatus;
import run.creativeai.gateway.limits.KeyBudget;
import run.creativeai.gateway.limits.RateLimitRule;
import run.creativeai.gateway.model.JobKind;

/**
 * Settles ended jobs ({@link Settlements}) through the {@link SettlementLedger}: the charge comes from
 * the job itself ({@link Job#charge()}: the link that served it, never more than was reserved), and so
 * do its line of usage and its key-budget refund, so any function that finds the job ended settles it
 * the same way, and the ledger's record makes it happen once.
 *
 * <p>It rides on the job's own ending: the dispatcher settles right after it stores an end and gives
 * the slots back; the ingress after a cancel; a redelivered message or the reconciler's resume finds
 * the job ended and settles it again, which the ledger turns into nothing if it was done. The
 * reconciler settles every ended job itself before it takes it out of its index, so a settlement lost
 * to a crash is made within a reconciler period.
 */
public final class CreditSettlement implements Settlements {
    private static final Logger LOG = LoggerFactory.getLogger(CreditSettlement.class);
    private static final RateLimitRule BUDGET_WINDOW = KeyBudget.rule(1);

    private final SettlementLedger ledger;
    private final Clock clock;

    public CreditSettlement(SettlementLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public void settle(Job job) {
        of(job, clock).ifPresent(settlement -> {
            if (ledger.record(settlement)) {
                LOG.info("job {} settled: {} credits charged, {} refunded", job.id(), settlement.charge().charged(),
                        settlement.charge().refunded());
            }
        });
    }

    /** What settling the job writes, once it has ended. */
    public static Optional<Settlement> of(Job job, Clock clock) {
        return job.charge().map(charge -> new Settlement(job.id(), job.tenantId(), charge, usage(job, charge),
                budgetRefund(job, charge, clock)));
    }

    static UsageEntry usage(Job job, Charge charge) {
        boolean succeeded = job.status() == JobStatus.SUCCEEDED;
        boolean image = job.request().kind() == JobKind.IMAGE;
        return new UsageEntry(
                LocalDate.ofInstant(job.timings().createdAt(), ZoneOffset.UTC),
                job.modelActual().orElse(job.model()),
                job.keyId().value(),
                1,
                succeeded ? 1 : 0,
                job.status() == JobStatus.FAILED ? 1 : 0,
                // An aborted job (its deadline passed before it started) counts with the cancelled ones.
                job.status() == JobStatus.CANCELED || job.status() == JobStatus.ABORTED ? 1 : 0,
                succeeded && image ? job.outputs().size() : 0,
                succeeded && !image ? job.request().durationSeconds().orElse(0) : 0,
                charge.charged(),
                charge.refunded());
    }

    /** The refund goes back to the budget's day of admission, only while that day lasts: a new day starts afresh. */
    private static Optional<Settlement.BudgetRefund> budgetRefund(Job job, Charge charge, Clock clock) {
        long admittedIn = BUDGET_WINDOW.windowIndex(job.timings().createdAt());
        if (!job.cost().inKeyBudget() || charge.refunded() == 0 || BUDGET_WINDOW.windowIndex(clock.instant()) != admittedIn) {
            return Optional.empty();
        }
        return Optional.of(new Settlement.BudgetRefund(job.keyId().value(), admittedIn, charge.refunded()));
    }
}
