package run.creativeai.gateway.adapters.dynamodb.status;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The status table's layout, in one place. One table holds everything the status page is made of,
 * each kind of item under partition keys of its own, so every read is a GetItem or a Query of one
 * partition and nothing is ever scanned:
 * <ul>
 * <li>{@code document / current}: the published document; {@code document / generation} the
 * counter of rebuilds; {@code readings / latest} the status monitor's last measurements;</li>
 * <li>{@code notice#open / <id>}: open incidents and maintenance windows; {@code notice#closed /
 * <closed at>#<id>} the closed ones, by when they closed; {@code notice / <id>} where each is and how
 * many of its updates were announced;</li>
 * <li>{@code uptime / <day>}: minutes per component and status of one UTC day;</li>
 * <li>{@code tally#<signal>[#<shard>] / <minute>}: the per-minute counters of the API's answers and
 * webhook attempts, over 16 partitions;</li>
 * <li>{@code probe / <tier>}: the probe waiting on a tier's queue;</li>
 * <li>{@code subscription / <tenant>#<id>}: status subscriptions; {@code subscriptions#count /
 * <tenant>} how many a tenant has; {@code delivery#<subscription> / <event id>} the attempts of one
 * notice to one subscription.</li>
 * </ul>
 * Items that only matter for a while (counters, readings of deliveries) expire by the table's TTL.
 */
public final class StatusTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String DOCUMENT = "doc";
    public static final String EXPIRES_AT = "expires_at";

    private StatusTable() {
    }

    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }

    /** An instant as a sort key: zero-padded milliseconds, which sort as the instants do. */
    public static String sortable(Instant at) {
        return String.format("%015d", at.toEpochMilli());
    }

    public static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** A number of the item, 0 when it holds none (a counter not yet added to). */
    public static long number(Map<String, AttributeValue> item, String name) {
        return optionalNumber(item, name).orElse(0L);
    }

    /** A number the item may not hold (a probe's note, a day's last counted minute): empty when it does not. */
    public static Optional<Long> optionalNumber(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? Optional.empty() : Optional.of(Long.parseLong(value.n()));
    }

    /** TTL attribute value: epoch seconds. */
    public static AttributeValue expiry(Instant at) {
        return number(at.getEpochSecond());
    }
}
