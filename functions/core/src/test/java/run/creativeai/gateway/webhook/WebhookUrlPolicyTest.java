package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlPolicyTest {
    private final WebhookUrlPolicy production = new WebhookUrlPolicy(false);
    private final WebhookUrlPolicy local = new WebhookUrlPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {
        "https://hooks.example.com/creativeai",
        "https://93.184.215.14/hook",
        "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook"})
    void publicHttpsUrlsAreAccepted(String url) {
        assertThat(production.problem(URI.create(url))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://hooks.example.com/plain-http",
        "https://127.0.0.1/loopback",
        "https://localhost/loopback-name",
        "https://2130706433/loopback-as-a-number",
        "https://[::1]/loopback-v6",
        "https://[::ffff:127.0.0.1]/mapped-loopback",
        "https://10.0.0.8/private",
        "https://172.16.4.1/private",
        "https://192.168.1.1/private",
        "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/carrier-nat",
        "https://0.0.0.0/unspecified",
        "https://[fd00::1]/unique-local",
        "https://[fe80::1]/link-local",
        "https://224.0.0.1/multicast",
        "https://user:pass@hooks.example.com/credentials"})
    void urlsThatReachInsideOrSkipTlsAreRefused(String url) {
        assertThat(production.problem(URI.create(url))).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3000/_local/webhooks/demo", "http://localhost:8080/hook"})
    void theLocalCloudMayUseLoopback(String url) {
        assertThat(local.problem(URI.create(url))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.8/hook", "http://hooks.example.com/hook"})
    void theLocalCloudStillRefusesEverythingElseThatProductionRefuses(String url) {
        assertThat(local.problem(URI.create(url))).isPresent();
    }
}
