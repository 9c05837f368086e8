package run.creativeai.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    private static ApiError refused(String body) {
        return refused(body.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiError refused(byte[] body) {
        Parsed<JsonNode> read = JsonBody.object(body);
        assertThat(read).as(new String(body, StandardCharsets.UTF_8)).isInstanceOf(Parsed.Invalid.class);
        ApiError error = ((Parsed.Invalid<JsonNode>) read).error();
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.message()).as("the API's words, not the parser's")
                .doesNotContain("Jackson", "Feature", "StreamReadConstraints", "`", "CTRL-CHAR", "(code", "token '",
                        "Source:", "REDACTED", "Exception");
        return error;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"model\":\"sdxl\",\"prompt\":\"x\"} xyz",
        "{\"model\":\"sdxl\",\"prompt\":\"x\"}{\"a\":1}",
        "{\"model\":\"sdxl\",\"prompt\":\"x\"} 2",
        "{\"model\":\"sdxl\",\"prompt\":\"x\"}]",
        "{\"model\":\"sdxl\",\"prompt\":\"x\"} \"",
        "{\"model\":\"sdxl\",\"prompt\":\"x\"}\n{\"model\":\"sdxl\",\"prompt\":\"y\"}"})
    void anythingAfterTheJsonValueIsRefused(String body) {
        ApiError error = refused(body);
        assertThat(error.code()).isEqualTo("invalid_json");
        assertThat(error.message()).startsWith("request body is not valid JSON at line ")
                .endsWith(": more follows the end of the JSON value; send exactly one");
    }

    @Test
    void whiteSpaceAfterTheValueIsNotContent() {
        assertThat(JsonBody.object("{\"a\":1} \n\t\r ".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Parsed.Valid.class);
    }

    @Test
    void theMessageSaysWhereAndWhatInTheApisWords() {
        assertThat(refused("{\"model\":NaN}").message())
                .isEqualTo("request body is not valid JSON at line 1, column 13: a number must be finite; 'NaN' is not"
                        + " a JSON number");
        assertThat(refused("{\"model\":\"sdxl\",\n\"n\":01}").message())
                .isEqualTo("request body is not valid JSON at line 2, column 6: a number must not begin with 0");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\":NaN}                | a number must be finite; 'NaN' is not a JSON number",
        "{\"a\":-Infinity}          | a number must be finite; '-Infinity' is not a JSON number",
        "{\"a\":+INF}               | a number must be finite; '+INF' is not a JSON number",
        "{\"a\":tru}                | 'tru' is not a JSON value; strings are written in double quotes",
        "{\"a\":'x'}                | unexpected ''' where a JSON value was expected",
        "{a:1}                      | unexpected 'a' where a field name in double quotes was expected",
        "{\"a\":1,}                 | unexpected '}' where a field name in double quotes was expected",
        "{\"a\" 1}                  | unexpected '1' where ':' after a field name was expected",
        "{\"a\":1 \"b\":2}          | unexpected '\"' where ',' or '}' was expected",
        "{\"a\":[1 2]}              | unexpected '2' where ',' or ']' was expected",
        "{\"a\":[1,2}               | unexpected '}' where ']' was expected",
        "{\"a\":1]                  | unexpected ']' where '}' was expected",
        "{\"a\":\"x                 | the body ends before the JSON value is complete",
        "{\"a\":                    | the body ends before the JSON value is complete",
        "{\"a\":\"\\q\"}            | a string holds an unknown escape: a backslash before 'q'",
        "{\"a\":\"\\u12\"}          | unexpected '\"' where a hex digit of a \\u escape was expected",
        "{\"a\":01}                 | a number must not begin with 0",
        "{\"a\":1.}                 | unexpected '}' in a number",
        "{\"a\":-}                  | unexpected '}' in a number",
        "{\"a\":.5}                 | unexpected '.' where a JSON value was expected"})
    void eachKindOfSyntaxErrorIsSaidInTheApisWords(String body, String problem) {
        ApiError error = refused(body);
        assertThat(error.code()).isEqualTo("invalid_json");
        assertThat(error.message()).startsWith("request body is not valid JSON at line 1, column ").endsWith(": " + problem);
    }

    @Test
    void controlCharactersInTheJsonTextAreNamedByTheirCodePoint() {
        assertThat(refused("{\"a\":\"x\u0001y\"}").message())
                .endsWith(": a control character (U+0001) inside a string must be written as an escape such as \\u0000");
        assertThat(refused("{\"a\":1}\u0000").message()).endsWith(": more follows the end of the JSON value; send exactly one");
        assertThat(refused("\u0000{\"a\":1}").message())
                .endsWith(": a control character (U+0000) is not allowed between JSON values");
    }

    @Test
    void theParsersLimitsAreSaidAsTheRequestsLimits() {
        assertThat(refused("{\"a\":" + "1".repeat(1001) + "}").message())
                .endsWith(": a number is longer than 1000 characters");
        assertThat(refused("{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}").message())
                .endsWith(": objects and arrays are nested deeper than 64 levels");
        assertThat(refused("{\"" + "n".repeat(50_001) + "\":1}").message())
                .endsWith(": a field name is longer than 50000 characters");
        assertThat(refused("{\"a\":\"" + "x".repeat(20_000_001) + "\"}").message())
                .endsWith(": a string is longer than 20000000 characters");
    }

    @Test
    void aDuplicateFieldIsNamedWithItsPath() {
        ApiError top = refused("{\"prompt\":\"x\",\"prompt\":\"y\"}");
        assertThat(top.param()).contains("prompt");
        assertThat(top.message()).endsWith(": field prompt appears more than once");
        ApiError nested = refused("{\"tasks\":[{\"n\":1},{\"metadata\":{\"a\":1,\"a\":2}}]}");
        assertThat(nested.param()).contains("tasks[1].metadata.a");
        assertThat(nested.message()).contains("field tasks[1].metadata.a appears more than once");
    }

    @Test
    void bytesThatAreNotUtf8ReachTheTextAsUnpairedSurrogatesNeverAsReplacements() {
        byte[] latin1 = "{\"prompt\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(JsonBody.text(latin1)).isEqualTo("{\"prompt\":\"caf\udce9\"}");
        byte[] encodedSurrogate = {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'};
        assertThat(JsonBody.text(encodedSurrogate)).isEqualTo("\"\ud800\"");
        assertThat(JsonBody.text("\"caf\u00e9 \ud83e\udd8a\"".getBytes(StandardCharsets.UTF_8)))
                .as("valid UTF-8 as it is").isEqualTo("\"caf\u00e9 \ud83e\udd8a\"");
    }
}
