package run.creativeai.gateway.billing;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/** Usage counters summed by day, by model or by key, in that order; and the total of them all. */
public final class UsageReport {
    /** How counters are grouped. */
    public enum GroupBy {
        DAY(e -> e.day().toString()),
        MODEL(UsageEntry::model),
        KEY(UsageEntry::key);

        private final Function<UsageEntry, String> key;

        GroupBy(Function<UsageEntry, String> key) {
            this.key = key;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<GroupBy> fromWire(String value) {
            for (GroupBy g : values()) {
                if (g.wireName().equals(value)) {
                    return Optional.of(g);
                }
            }
            return Optional.empty();
        }

        /** The group an entry falls in: its day, model or key, as the report shows it. */
        public String of(UsageEntry entry) {
            return key.apply(entry);
        }
    }

    private UsageReport() {
    }

    /** One line per group, in the group's order (days ascending, models and keys by name). */
    public static List<Group> group(List<UsageEntry> entries, GroupBy by) {
        Map<String, UsageEntry> sums = new TreeMap<>();
        for (UsageEntry entry : entries) {
            sums.merge(by.of(entry), entry, UsageEntry::plus);
        }
        List<Group> groups = new ArrayList<>();
        sums.forEach((name, sum) -> groups.add(new Group(name, sum)));
        groups.sort(Comparator.comparing(Group::name));
        return groups;
    }

    /** Everything, summed. */
    public static UsageEntry total(List<UsageEntry> entries, LocalDate from) {
        UsageEntry total = new UsageEntry(from, "*", "*", 0, 0, 0, 0, 0, 0, 0, 0);
        for (UsageEntry entry : entries) {
            total = total.plus(entry);
        }
        return total;
    }

    /** One group's name (a day, a model id or a key id) and its counters. */
    public record Group(String name, UsageEntry sum) {
    }
}
