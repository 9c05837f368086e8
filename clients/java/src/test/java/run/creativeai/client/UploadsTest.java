package run.creativeai.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An upload end to end, and an output's download checked against what the gateway measured. */
class UploadsTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    private final ScriptedApi api = new ScriptedApi();
    private final FakeTime time = new FakeTime();
    private final CreativeAiClient client = CreativeAiClient.builder().baseUrl(api.url()).apiKey("sk-secret")
            .clock(time).sleeper(time).build();

    @AfterEach
    void stop() {
        api.close();
    }

    private void scriptUpload() {
        api.then(201, "{\"id\":\"upl_1\",\"object\":\"upload\",\"status\":\"pending\",\"content_type\":\"image/png\","
                + "\"size_bytes\":16,\"upload_url\":\"" + api.url() + "/bucket/upl_1?X-Amz-Signature=abc\","
                + "\"upload_method\":\"PUT\",\"upload_headers\":{\"Content-Type\":\"image/png\"}}")
                .then(200, "", "Content-Type", "application/xml")
                .then(200, "{\"id\":\"upl_1\",\"object\":\"upload\",\"status\":\"uploaded\",\"content_type\":\"image/png\","
                        + "\"size_bytes\":16,\"uploaded_bytes\":16,\"usable_until\":\"2026-12-06T10:00:00Z\"}");
    }

    @Test
    void aFileIsDeclaredThenPutToItsPresignedUrlWithoutTheKeyAndThenReadBackUploaded(@TempDir Path dir) throws Exception {
        scriptUpload();
        Path file = Files.write(dir.resolve("in.png"), PNG);

        Upload upload = client.upload(file);

        assertThat(upload.isUploaded()).isTrue();
        assertThat(upload.uploadedBytes()).hasValue(16);
        var sent = api.received();
        assertThat(new String(sent.get(0).body(), StandardCharsets.UTF_8)).contains("\"content_type\":\"image/png\"")
                .contains("\"size_bytes\":16");
        assertThat(sent.get(1).method()).isEqualTo("PUT");
        assertThat(sent.get(1).path()).isEqualTo("/bucket/upl_1?X-Amz-Signature=abc");
        assertThat(sent.get(1).header("Content-Type")).isEqualTo("image/png");
        assertThat(sent.get(1).header("Authorization")).as("the API key never goes to the bucket").isNull();
        assertThat(sent.get(1).body()).isEqualTo(PNG);
        assertThat(sent.get(2).path()).isEqualTo("/v1/uploads/upl_1");
    }

    @Test
    void aFileThatIsNotAnImageTheApiTakesIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("notes.png"), "not a picture");
        assertThatThrownBy(() -> client.upload(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a PNG, JPEG or WebP");
        assertThat(api.received()).isEmpty();
    }

    @Test
    void anOutputIsDownloadedOnlyWhenItsBytesAreThoseTheGatewayStored() throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PNG));
        api.then(200, new String(PNG, StandardCharsets.ISO_8859_1), "Content-Type", "image/png")
                .then(200, "tampered", "Content-Type", "image/png")
                .then(403, "<Error>expired</Error>", "Content-Type", "application/xml");
        Output output = new Output(0, URI.create(api.url() + "/outputs/gen_1/0.png?X-Amz-Signature=s"), Optional.empty(),
                Optional.empty(), OptionalLong.empty(), Optional.of("image/png"), Optional.of(sha), null);

        assertThat(client.download(output)).hasSize(PNG.length);
        assertThatThrownBy(() -> client.download(output)).isInstanceOf(OutputDownloadException.class)
                .hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> client.download(output)).isInstanceOf(OutputDownloadException.class)
                .hasMessageContaining("read the generation again");
        assertThat(api.received()).allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
    }
}
