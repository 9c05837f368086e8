package run.creativeai.gateway.job;

import java.util.regex.Pattern;
import run.creativeai.gateway.config.IdSource;

/** A generation job's public identifier, {@code gen_} followed by a time-ordered id. */
public record JobId(String value) {
    private static final Pattern FORMAT = Pattern.compile("gen_[0-9a-z]{26}");

    public JobId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a job id: " + value);
        }
    }

    public static JobId next(IdSource ids) {
        return new JobId("gen_" + ids.next());
    }

    /** For ids arriving from outside (a path, a message): no exception, just absence. */
    public static java.util.Optional<JobId> parse(String value) {
        return value != null && FORMAT.matcher(value).matches()
                ? java.util.Optional.of(new JobId(value))
                : java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
