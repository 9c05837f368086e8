package run.creativeai.gateway.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.spi.MDCAdapter;

/**
 * Formats an event as one line of JSON and writes it to standard output in one call, so lines of
 * concurrent threads never interleave. Fields: {@code timestamp} and {@code level} (the names
 * Lambda's JSON log format filters on), {@code logger}, {@code message}, every MDC entry, the
 * event's key-value pairs, and {@code error} with the stack trace. The JSON is written by hand: no
 * object mapper is initialised before a function's first log line.
 */
final class JsonLines {
    private final MDCAdapter mdc;

    JsonLines(MDCAdapter mdc) {
        this.mdc = mdc;
    }

    void write(Level level, String logger, String message, List<KeyValuePair> pairs, Throwable error) {
        StringBuilder line = new StringBuilder(256);
        line.append('{');
        field(line, "timestamp", Instant.now().toString());
        line.append(',');
        field(line, "level", level.name());
        line.append(',');
        field(line, "logger", logger);
        line.append(',');
        field(line, "message", message);
        Map<String, String> context = mdc.getCopyOfContextMap();
        if (context != null) {
            context.forEach((key, value) -> field(line.append(','), key, value));
        }
        for (KeyValuePair pair : pairs) {
            field(line.append(','), pair.key, String.valueOf(pair.value));
        }
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            field(line.append(','), "error", trace.toString());
        }
        line.append('}');
        // Looked up at each write: whoever redirects standard output (a test, a runtime) gets the lines.
        System.out.println(line);
    }

    private static void field(StringBuilder line, String key, String value) {
        string(line, key);
        line.append(':');
        if (value == null) {
            line.append("null");
        } else {
            string(line, value);
        }
    }

    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
