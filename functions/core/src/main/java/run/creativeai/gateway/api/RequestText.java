package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What text a generation request may carry, for every string in it (field names included): the
 * prompt and model go to providers, metadata is stored and read back, and all of it can reach a
 * log line or a client's screen. Refused, naming the field and the position:
 * <ul>
 * <li>text that is not valid Unicode: an unpaired surrogate, which is also how bytes that were not
 * UTF-8 arrive ({@link JsonBody#text}); stored or sent on, it would silently become '?';</li>
 * <li>control characters (C0, DEL, C1) other than tab, newline and carriage return, the only ones
 * multi-line text needs: NUL truncates strings in C code, ESC starts terminal sequences;</li>
 * <li>the bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069, which
 * make text display in another order than it is read ("Trojan Source"). The marks U+200E, U+200F
 * and U+061C, which right-to-left writing needs and which reorder nothing, stay allowed.</li>
 * </ul>
 * Numbers must be finite: one too large for a double would be stored as "Infinity".
 */
final class RequestText {
    private RequestText() {
    }

    /** Why the value of the request's field {@code field} is refused, or empty; the message names the field. */
    static Optional<String> problem(String field, JsonNode value) {
        if (value.isTextual()) {
            return problemIn(value.asText()).map(p -> field + " " + p);
        }
        if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
            return Optional.of(field + " must be a finite number; " + value.asText() + " is beyond the range of a"
                    + " 64-bit floating-point number");
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                Optional<String> inner = problem(field + "[" + i + "]", value.get(i));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> entry = it.next();
                Optional<String> name = problemIn(entry.getKey());
                if (name.isPresent()) {
                    return Optional.of(field + " has a field name that " + name.get());
                }
                String key = entry.getKey().length() <= 40 ? entry.getKey() : entry.getKey().substring(0, 40) + "...";
                Optional<String> inner = problem(field + "." + key, entry.getValue());
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /** What is wrong with {@code text}, as the end of a sentence whose subject is the text; empty if nothing. */
    private static Optional<String> problemIn(String text) {
        int position = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            position++;
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                return Optional.of("is not valid Unicode at character " + position
                        + ": an unpaired surrogate, or bytes that are not UTF-8");
            }
            if (isRefusedControl(c)) {
                return Optional.of("holds the control character " + codePoint(c) + " at character " + position
                        + "; the only control characters allowed are tab, newline and carriage return");
            }
            if (isBidiControl(c)) {
                return Optional.of("holds the bidirectional control " + codePoint(c) + " at character " + position
                        + ", which changes the order text is displayed in");
            }
        }
        return Optional.empty();
    }

    private static boolean isRefusedControl(char c) {
        return Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }

    /**
     * {@code text} as it may be echoed in a message: every character this class refuses is shown as
     * its {@code \\uXXXX} escape, so an error never carries the character it complains about.
     */
    static String visible(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || isRefusedControl(c) || isBidiControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }
}
