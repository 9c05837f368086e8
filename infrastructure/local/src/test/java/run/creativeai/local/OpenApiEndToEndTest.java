package run.creativeai.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code GET /v1/openapi.json} through the local gateway, as a client generator fetches it: no key, the repository's document. */
@ExtendWith(LocalCloudExtension.class)
class OpenApiEndToEndTest {
    private static Api api;

    @BeforeAll
    static void start(LocalCloud cloud) {
        api = new Api(cloud);
    }

    @Test
    void anyoneGetsTheRepositorysDocumentAndACachedCopyIsConfirmedWithoutIt() throws IOException {
        Api.Response response = api.send(HttpRequest.newBuilder(api.url("/v1/openapi.json")).GET());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.raw().body()).isEqualTo(Files.readString(
                LocalCloudExtension.projectRoot().resolve(OpenApiContract.DOCUMENT)));
        assertThat(response.header("Cache-Control")).isEqualTo("public, max-age=3600");

        Api.Response again = api.send(HttpRequest.newBuilder(api.url("/v1/openapi.json"))
                .header("If-None-Match", response.header("ETag")).GET());
        assertThat(again.status()).as(again.toString()).isEqualTo(304);
        assertThat(again.raw().body()).isEmpty();
    }
}
