package run.creativeai.gateway.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.billing.UsageEntry;
import run.creativeai.gateway.billing.UsageLedger;
import run.creativeai.gateway.billing.UsageReport;
import run.creativeai.gateway.json.Json;

/**
 * {@code GET /v1/usage?from=YYYY-MM-DD&to=YYYY-MM-DD&group_by=day|model|key}: the tenant's usage per
 * group (jobs admitted, succeeded, failed, cancelled, images, seconds of video, credits charged and
 * refunded), from the counters settlement keeps per day, model and key: one query, whatever the
 * number of jobs. Days are UTC and both ends are included; a job counts on the day it was admitted,
 * once it has been settled. Without {@code to}, today; without {@code from}, the 30 days up to
 * {@code to}; {@code group_by} is {@code day} unless given. A read, limited like status reads.
 */
public final class GetUsage implements Route {
    /** The longest range one request may ask for, both ends included. */
    public static final int MAX_DAYS = 400;
    private static final int DEFAULT_DAYS = 30;
    private static final Set<String> PARAMETERS = Set.of("from", "to", "group_by");
    private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private final ReadLimit reads;
    private final UsageLedger usage;
    private final Clock clock;

    public GetUsage(ReadLimit reads, UsageLedger usage, Clock clock) {
        this.reads = reads;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public String key() {
        return GatewayApi.GET_USAGE;
    }

    /** What a request asks for, checked. */
    record Query(LocalDate from, LocalDate to, UsageReport.GroupBy groupBy) {
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Parsed<Query> parsed = parse(request.queryParameters(), LocalDate.now(clock.withZone(ZoneOffset.UTC)));
        if (parsed instanceof Parsed.Invalid<Query> invalid) {
            return invalid.error().toResponse();
        }
        Query query = ((Parsed.Valid<Query>) parsed).value();
        return reads.counted(principal, (decision, now) -> new Reply(200, Map.of(),
                body(query, usage.entries(principal.tenantId(), query.from(), query.to()))).toResponse());
    }

    static Parsed<Query> parse(Map<String, String> parameters, LocalDate today) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                return invalid(clip(name), "unknown query parameter '" + clip(name) + "'; the parameters are from, to "
                        + "and group_by");
            }
        }
        Parsed<Optional<LocalDate>> to = date(parameters, "to");
        if (to instanceof Parsed.Invalid<Optional<LocalDate>> bad) {
            return Parsed.invalid(bad.error());
        }
        Parsed<Optional<LocalDate>> from = date(parameters, "from");
        if (from instanceof Parsed.Invalid<Optional<LocalDate>> bad) {
            return Parsed.invalid(bad.error());
        }
        LocalDate end = ((Parsed.Valid<Optional<LocalDate>>) to).value().orElse(today);
        LocalDate start = ((Parsed.Valid<Optional<LocalDate>>) from).value().orElse(end.minusDays(DEFAULT_DAYS - 1));
        if (end.isBefore(start)) {
            return invalid("to", "to (" + end + ") is before from (" + start + ")");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            return invalid("to", "from " + start + " to " + end + " spans " + (ChronoUnit.DAYS.between(start, end) + 1)
                    + " days; ask for at most " + MAX_DAYS + " at a time");
        }
        String groupBy = parameters.getOrDefault("group_by", UsageReport.GroupBy.DAY.wireName());
        Optional<UsageReport.GroupBy> by = UsageReport.GroupBy.fromWire(groupBy);
        if (by.isEmpty()) {
            return invalid("group_by", "group_by must be day, model or key");
        }
        return Parsed.valid(new Query(start, end, by.get()));
    }

    private static Parsed<Optional<LocalDate>> date(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        if (value == null) {
            return Parsed.valid(Optional.empty());
        }
        try {
            // Exactly four digits of year: ISO also reads signed, longer years (+12026-01-01), which no one means.
            if (DATE.matcher(value).matches()) {
                return Parsed.valid(Optional.of(LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE)));
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        return Parsed.invalid(ApiError.invalidField(name, name + " must be a date written YYYY-MM-DD, such as "
                + "2026-11-23"));
    }

    private static ObjectNode body(Query query, List<UsageEntry> entries) {
        ObjectNode body = Json.object()
                .put("object", "usage")
                .put("from", query.from().toString())
                .put("to", query.to().toString())
                .put("group_by", query.groupBy().wireName())
                .put("currency", "credits");
        String groupField = switch (query.groupBy()) {
            case DAY -> "day";
            case MODEL -> "model";
            case KEY -> "key_id";
        };
        ArrayNode data = body.putArray("data");
        for (UsageReport.Group group : UsageReport.group(entries, query.groupBy())) {
            counts(data.addObject().put(groupField, group.name()), group.sum());
        }
        counts(body.putObject("total"), UsageReport.total(entries, query.from()));
        return body;
    }

    private static void counts(ObjectNode node, UsageEntry sum) {
        node.put("jobs_admitted", sum.jobs())
                .put("jobs_succeeded", sum.succeeded())
                .put("jobs_failed", sum.failed())
                .put("jobs_canceled", sum.canceled())
                .put("images", sum.images())
                .put("video_seconds", sum.videoSeconds())
                .put("credits_charged", sum.creditsCharged())
                .put("credits_refunded", sum.creditsRefunded());
    }

    private static <T> Parsed<T> invalid(String param, String message) {
        return Parsed.invalid(ApiError.invalidField(param, message));
    }

    /** A parameter name is echoed back clipped, so an error never carries a whole hostile input back. */
    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
