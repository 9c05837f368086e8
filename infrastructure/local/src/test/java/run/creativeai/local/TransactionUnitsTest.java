package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

class TransactionUnitsTest {
    private static TransactWriteItem put(String table, int bytes) {
        // "id" (2) + "a" + value (1) + "pad" (3): bytes in all.
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("id", AttributeValue.fromS("a"),
                "pad", AttributeValue.fromS("x".repeat(bytes - 6))))).build();
    }

    private static TransactWriteItem update(String table) {
        return TransactWriteItem.builder().update(u -> u.tableName(table).key(Map.of("id", AttributeValue.fromS("b")))
                .updateExpression("ADD n :one")).build();
    }

    private static ConsumedCapacity reported(String table, double units, Map<String, Double> indexes) {
        ConsumedCapacity.Builder c = ConsumedCapacity.builder().tableName(table).capacityUnits(units)
                .table(Capacity.builder().capacityUnits(units).build());
        if (!indexes.isEmpty()) {
            c.globalSecondaryIndexes(indexes.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                    e -> Capacity.builder().capacityUnits(e.getValue()).build())));
        }
        return c.build();
    }

    @Test
    void everyItemOfATransactionIsBilledTwiceItsSizeInKilobytesWhateverDynamoDbLocalReports() {
        // As DynamoDB Local 2.6.1 reports them: 4 units per table touched, 4 for the index entry.
        TransactWriteItemsRequest admission = TransactWriteItemsRequest.builder().transactItems(update("counters"),
                update("accounts"), put("jobs", 466)).build();
        TransactWriteItemsResponse response = TransactWriteItemsResponse.builder().consumedCapacity(
                reported("counters", 4, Map.of()), reported("accounts", 4, Map.of()),
                reported("jobs", 8, Map.of("unsettled", 4.0))).build();

        assertThat(TransactionUnits.billed(admission, response))
                .isEqualTo(Map.of("counters", 2.0, "accounts", 2.0, "jobs", 4.0));
    }

    @Test
    void threeItemsOnOneTableAreThreeItemsNotOneTable() {
        TransactWriteItemsRequest settlement = TransactWriteItemsRequest.builder().transactItems(put("accounts", 142),
                update("accounts"), update("accounts")).build();
        TransactWriteItemsResponse response = TransactWriteItemsResponse.builder()
                .consumedCapacity(reported("accounts", 4, Map.of())).build();

        assertThat(TransactionUnits.billed(settlement, response)).isEqualTo(Map.of("accounts", 6.0));
    }

    @Test
    void aPutOverOneKilobyteIsBilledByItsSizeRoundedUp() {
        TransactWriteItemsRequest big = TransactWriteItemsRequest.builder().transactItems(put("jobs", 1500)).build();
        TransactWriteItemsResponse response = TransactWriteItemsResponse.builder()
                .consumedCapacity(reported("jobs", 8, Map.of())).build();

        assertThat(TransactionUnits.billed(big, response)).isEqualTo(Map.of("jobs", 4.0));
        assertThat(TransactionUnits.bytes(big.transactItems().get(0).put().item())).isEqualTo(1500);
    }
}
