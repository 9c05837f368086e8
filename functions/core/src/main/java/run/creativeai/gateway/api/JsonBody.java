package run.creativeai.gateway.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.json.JsonStreams;

/**
 * The one reader of request bodies: UTF-8 JSON holding exactly one value and nothing after it,
 * without duplicate field names, within the size limits of {@link Json}'s parser. What is wrong
 * is said in the API's own words, with line and column; no parser class or setting ever reaches
 * a client. Bytes that are not UTF-8 are not replaced: they reach the text checks as unpaired
 * surrogates ({@link RequestText}), which refuse them naming the field they are in.
 */
final class JsonBody {
    private static final Pattern CHARACTER_CODE = Pattern.compile("\\bcode (\\d+)");
    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");
    private static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)': expected '(.)'");

    /** What a problem is about: nothing more, the token the parser quotes, or the character it names by code. */
    private enum Subject { NONE, TOKEN, CHARACTER }

    /** What the parser says, recognised by how its message begins, in the API's words ({@code %s}: the subject). */
    private record Kind(String parserSays, Subject subject, String problem) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("Non-standard token", Subject.TOKEN, "a number must be finite; %s is not a JSON number"),
            new Kind("Unrecognized token", Subject.TOKEN, "%s is not a JSON value; strings are written in double quotes"),
            new Kind("Illegal unquoted character", Subject.CHARACTER, "a control character (%s) inside a string must be"
                    + " written as an escape such as \\u0000"),
            new Kind("Illegal character", Subject.CHARACTER, "a control character (%s) is not allowed between JSON values"),
            new Kind("Unrecognized character escape", Subject.CHARACTER, "a string holds an unknown escape: a backslash"
                    + " before %s"),
            new Kind("Invalid numeric value: Leading zeroes", Subject.NONE, "a number must not begin with 0"),
            new Kind("Invalid numeric value", Subject.NONE, "a number is malformed"));

    private JsonBody() {
    }

    /** The body as a JSON object, or the 400 that says what is wrong with it. */
    static Parsed<JsonNode> object(byte[] body) {
        Parsed<JsonNode> read = value(body);
        if (read instanceof Parsed.Valid<JsonNode> valid && !valid.value().isObject()) {
            return Parsed.invalid(ApiError.invalidRequest("invalid_body", "request body must be a JSON object"));
        }
        return read;
    }

    /** The body as one JSON value of any kind, or the 400 that says what is wrong with it. */
    static Parsed<JsonNode> value(byte[] body) {
        try (JsonParser parser = JsonStreams.factory().createParser(text(body))) {
            JsonNode node;
            try {
                node = Json.tree(parser);
            } catch (JsonProcessingException e) {
                Optional<String> duplicate = duplicateField(e, parser);
                return Parsed.invalid(invalidJson(e.getLocation(),
                        duplicate.map(f -> "field " + f + " appears more than once").orElseGet(() -> describe(e)),
                        duplicate));
            }
            if (node == null || node.isMissingNode()) {
                return Parsed.invalid(ApiError.invalidRequest("invalid_body", "request body must be a JSON object"));
            }
            JsonLocation end = parser.currentLocation();
            try {
                if (parser.nextToken() == null) {
                    return Parsed.valid(node);
                }
                end = parser.currentTokenLocation();
            } catch (JsonProcessingException e) {
                // Whatever follows the value, parseable or not, is refused alike.
            }
            return Parsed.invalid(invalidJson(end, "more follows the end of the JSON value; send exactly one",
                    Optional.empty()));
        } catch (IOException e) {
            return Parsed.invalid(ApiError.invalidRequest("invalid_json", "request body is not valid JSON"));
        }
    }

    private static ApiError invalidJson(JsonLocation where, String problem, Optional<String> field) {
        String at = where == null || where.getLineNr() < 1 ? ""
                : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
        return new ApiError(400, "invalid_request_error", "invalid_json",
                "request body is not valid JSON" + at + ": " + problem, field);
    }

    /** The parser's complaint in the API's words: its kind and the character or token it concerns, never its text. */
    private static String describe(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return limitExceeded(e.getOriginalMessage());
        }
        if (e instanceof JsonEOFException) {
            return "the body ends before the JSON value is complete";
        }
        String says = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (says.startsWith("Duplicate field")) {
            return "a field name appears more than once in one object";
        }
        if (says.startsWith("Unexpected character")) {
            return unexpected(says);
        }
        Matcher close = CLOSE_MARKER.matcher(says);
        if (close.find()) {
            return "unexpected '" + close.group(1) + "' where '" + close.group(2) + "' was expected";
        }
        for (Kind kind : KINDS) {
            if (says.startsWith(kind.parserSays())) {
                return switch (kind.subject()) {
                    case NONE -> kind.problem();
                    case TOKEN -> kind.problem().formatted(quoted(says).orElse("it"));
                    case CHARACTER -> kind.problem().formatted(character(says).orElse("a character"));
                };
            }
        }
        return "the JSON is malformed";
    }

    private static String unexpected(String says) {
        String found = character(says).map(c -> "unexpected " + c).orElse("an unexpected character");
        if (says.contains("in numeric value")) {
            return found + " in a number";
        }
        if (says.contains("start field name")) {
            return found + " where a field name in double quotes was expected";
        }
        if (says.contains("colon")) {
            return found + " where ':' after a field name was expected";
        }
        if (says.contains("Object entries")) {
            return found + " where ',' or '}' was expected";
        }
        if (says.contains("Array entries")) {
            return found + " where ',' or ']' was expected";
        }
        if (says.contains("hex-digit")) {
            return found + " where a hex digit of a \\u escape was expected";
        }
        return found + " where a JSON value was expected";
    }

    private static String limitExceeded(String says) {
        StreamReadConstraints limits = JsonStreams.factory().streamReadConstraints();
        if (says.startsWith("Number value length")) {
            return "a number is longer than " + limits.getMaxNumberLength() + " characters";
        }
        if (says.startsWith("Document nesting depth")) {
            return "objects and arrays are nested deeper than " + limits.getMaxNestingDepth() + " levels";
        }
        if (says.startsWith("String value length")) {
            return "a string is longer than " + limits.getMaxStringLength() + " characters";
        }
        if (says.startsWith("Name length")) {
            return "a field name is longer than " + limits.getMaxNameLength() + " characters";
        }
        return "the body is larger than a request may be";
    }

    /** The character the parser names by its code, written so a reader can see it: {@code 'x'} or {@code U+0000}. */
    private static Optional<String> character(String says) {
        Matcher code = CHARACTER_CODE.matcher(says);
        if (!code.find()) {
            return Optional.empty();
        }
        int c = Integer.parseInt(code.group(1));
        return Optional.of(c > 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("U+%04X", c));
    }

    private static Optional<String> quoted(String says) {
        Matcher m = QUOTED.matcher(says);
        if (!m.find()) {
            return Optional.empty();
        }
        String token = m.group(1).length() <= 40 ? m.group(1) : m.group(1).substring(0, 40) + "...";
        return Optional.of("'" + RequestText.visible(token) + "'");
    }

    /** The field a duplicate name stands for, as {@code prompt}, {@code metadata.order} or {@code tasks[0].n}. */
    private static Optional<String> duplicateField(JsonProcessingException e, JsonParser parser) {
        String says = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (!says.startsWith("Duplicate field")) {
            return Optional.empty();
        }
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        String path = String.join("", parts).replaceFirst("^\\.", "");
        return path.isEmpty() ? Optional.empty() : Optional.of(RequestText.visible(path));
    }

    /**
     * The body's text. UTF-8 is decoded strictly: a surrogate written as its own three bytes (as a
     * string holding an unpaired one is sent) comes back as that surrogate, and each byte that is
     * not UTF-8 at all as an unpaired surrogate of its own (U+DC80 to U+DCFF), so that nothing is
     * replaced silently and the text checks can say which field held it.
     */
    static String text(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow() || result.isOverflow()) {
                // Never more characters than bytes: the buffer cannot overflow.
                break;
            }
            int at = in.position();
            if (at + 2 < body.length && (body[at] & 0xff) == 0xed && (body[at + 1] & 0xe0) == 0xa0
                    && (body[at + 2] & 0xc0) == 0x80) {
                out.put((char) (0xd000 | (body[at + 1] & 0x3f) << 6 | (body[at + 2] & 0x3f)));
                in.position(at + 3);
            } else {
                for (int i = 0; i < result.length(); i++) {
                    out.put((char) (0xdc00 | (body[at + i] & 0xff)));
                }
                in.position(at + result.length());
            }
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
