package run.creativeai.gateway.admission;

import java.time.Instant;
import run.creativeai.gateway.plan.Tier;

/** How many jobs waited in a tier's queue when it was read (SQS's approximate count), and when that was. */
public record QueueReading(Tier tier, long pending, Instant readAt) {
}
