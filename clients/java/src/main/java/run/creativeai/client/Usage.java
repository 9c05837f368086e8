package run.creativeai.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code GET /v1/usage}: what the tenant's settled jobs did and cost, one row per day, model or key. */
public record Usage(String from, String to, String groupBy, List<Row> rows, JsonNode json) {

    /** One group: {@code group} is the day, model or key id, by {@link Usage#groupBy()}. */
    public record Row(String group, long jobsAdmitted, long jobsSucceeded, long jobsFailed, long jobsCanceled,
            long images, long videoSeconds, long creditsCharged, long creditsRefunded) {
    }

    static Usage of(JsonNode node) {
        String groupBy = Json.text(node, "group_by", "day");
        String groupField = groupBy.equals("key") ? "key_id" : groupBy;
        return new Usage(Json.text(node, "from", ""), Json.text(node, "to", ""), groupBy,
                Json.list(node, "data", row -> new Row(Json.text(row, groupField, ""), row.path("jobs_admitted").asLong(),
                        row.path("jobs_succeeded").asLong(), row.path("jobs_failed").asLong(),
                        row.path("jobs_canceled").asLong(), row.path("images").asLong(), row.path("video_seconds").asLong(),
                        row.path("credits_charged").asLong(), row.path("credits_refunded").asLong())),
                node);
    }
}
