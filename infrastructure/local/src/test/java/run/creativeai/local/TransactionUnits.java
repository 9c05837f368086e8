package run.creativeai.local;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * The write units AWS bills for a {@code TransactWriteItems}, by table, worked out from its items:
 * DynamoDB Local's report does not follow AWS's rule. Checked against DynamoDB Local 2.6.1: it
 * reports 4 units per table (and 4 per index) a transaction touches, for one, two or three items of
 * up to 1 KB alike, and 8 for an item of 1.5 KB, where AWS's pricing bills each item of a transaction
 * twice its size in KB, rounded up (2 units an item up to 1 KB). So a put is billed from its item's
 * size, and an update, delete or condition check, whose item the request does not hold, as large as
 * the largest item DynamoDB Local measured on that table. An index entry a transaction writes is
 * counted as a transactional write of its size (2 units up to 1 KB): an upper bound, since AWS
 * propagates index changes after the transaction completes and bills an index write by its
 * entry's size, without saying whether a transaction doubles it.
 */
final class TransactionUnits {
    /** What DynamoDB Local reports per KB of a table's (or index's) largest item in a transaction. */
    private static final double LOCAL_UNITS_PER_KB = 4;
    /** AWS: a transactional write request unit per KB, twice a standard one. */
    private static final double BILLED_UNITS_PER_KB = 2;

    private TransactionUnits() {
    }

    /** Billed write units by table name (the table's indexes included). */
    static Map<String, Double> billed(TransactWriteItemsRequest request, TransactWriteItemsResponse response) {
        Map<String, ConsumedCapacity> reported = new TreeMap<>();
        response.consumedCapacity().forEach(c -> reported.put(c.tableName(), c));
        Map<String, Double> billed = new TreeMap<>();
        for (TransactWriteItem item : request.transactItems()) {
            String table;
            double kilobytes;
            if (item.put() != null) {
                table = item.put().tableName();
                kilobytes = kilobytes(bytes(item.put().item()));
            } else {
                table = item.update() != null ? item.update().tableName()
                        : item.delete() != null ? item.delete().tableName() : item.conditionCheck().tableName();
                ConsumedCapacity c = reported.get(table);
                double local = c == null ? 0 : c.table() != null ? units(c.table()) : c.capacityUnits();
                kilobytes = Math.max(1, Math.ceil(local / LOCAL_UNITS_PER_KB));
            }
            billed.merge(table, BILLED_UNITS_PER_KB * kilobytes, Double::sum);
        }
        reported.forEach((table, c) -> {
            if (c.hasGlobalSecondaryIndexes()) {
                c.globalSecondaryIndexes().values().forEach(index -> billed.merge(table,
                        BILLED_UNITS_PER_KB * Math.max(1, Math.ceil(units(index) / LOCAL_UNITS_PER_KB)), Double::sum));
            }
        });
        return billed;
    }

    private static double units(Capacity capacity) {
        return capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }

    private static double kilobytes(long bytes) {
        return Math.max(1, Math.ceil(bytes / 1024.0));
    }

    /**
     * An item's size as DynamoDB counts it: each attribute's name and value in UTF-8, a number about
     * one byte per two significant digits plus one, a list or map 3 bytes plus a byte per element.
     */
    static long bytes(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + bytes(e.getValue());
        }
        return size;
    }

    private static long bytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return number(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(TransactionUnits::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(TransactionUnits::number).sum();
        }
        if (v.hasBs()) {
            return v.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToLong(e -> 1 + bytes(e)).sum();
        }
        if (v.hasM()) {
            return 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + bytes(e.getValue())).sum();
        }
        return 0;
    }

    private static long number(String n) {
        String digits = n.replaceAll("[^0-9]", "").replaceAll("^0+", "");
        return (digits.length() + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
