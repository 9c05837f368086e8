package run.creativeai.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import run.creativeai.gateway.testing.FixedResolver;

class WebhookUrlPolicyTest {
    private final FixedResolver dns = new FixedResolver()
            .answer("hooks.example.com", "93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c")
            .answer("internal.example.com", "10.0.0.8")
            .answer("metadata.example.com", "169.254.169.254")
            .answer("loopback.example.com", "127.0.0.1")
            .answer("ula.example.com", "fd00::1")
            .answer("cgnat.example.com", "100.64.0.1")
            .answer("mixed.example.com", "93.184.215.14", "192.168.1.1")
            .answer("mapped.example.com", "::ffff:10.1.2.3")
            .answer("sixtofour.example.com", "2002:a00:1::1");
    private final WebhookUrlPolicy production = WebhookUrlPolicy.publicInternet(dns);
    private final WebhookUrlPolicy local = WebhookUrlPolicy.loopbackOnly();

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
        "https://127.1/loopback-short-form",
        "https://0177.0.0.1/octal-looking",
        "https://1.2.3.4.5/not-an-address",
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

    /** One address in each block the IANA special-purpose registries mark not globally reachable. */
    @ParameterizedTest
    @ValueSource(strings = {
        "0.1.2.3", "10.9.8.7", "100.127.255.254", "127.8.8.8", "169.254.0.1", "172.31.255.255", "192.0.0.1",
        "192.0.0.9", "192.0.0.170", "192.0.2.55", "192.88.99.2", "192.168.200.1", "198.19.0.1", "198.51.100.7",
        "203.0.113.200", "240.1.2.3", "255.255.255.255", "224.0.0.251", "239.255.255.250",
        "[::]", "[::1]", "[64:ff9b:1::808:808]", "[100::1]", "[100:0:0:1::1]", "[2001::1]",
        "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[2001:2::1]", "[2001:10::1]", "[2001:db8::1]",
        "[2001:db8:ffff::1]", "[3fff::1]", "[3fff:fff:ffff::1]", "[5f00::1]", "[fc00::1]", "[fdff::1]", "[fe80::1]",
        "[febf::1]", "[fec0::1]", "[ff02::1]"})
    void everyBlockTheIanaRegistriesMarkNotGloballyReachableIsRefused(String host) {
        assertThat(production.problem(URI.create("https://" + host + "/h"))).as(host).isPresent();
    }

    /** The forms that carry an IPv4 address are judged by it where the connection goes to it, refused otherwise. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[::ffff:8.8.8.8]|          true",
        "[::ffff:169.254.169.254]|  false",
        "[::ffff:192.0.2.1]|        false",
        "[2002:808:808::1]|         true",
        "[2002:c000:201::1]|        false",
        "[64:ff9b::808:808]|        true",
        "[64:ff9b::a9fe:a9fe]|      false",
        "[64:ff9b::cb00:7101]|      false",
        "[::ffff:0:a9fe:a9fe]|      false",
        "[::ffff:0:808:808]|        false",
        "[64:ff9b:1::808:808]|      false",
        "[2001:0:4136:e378:8000:63bf:f7f7:f7f7]| false"})
    void addressesThatEmbedAnIpv4AddressAreJudgedByItOrRefused(String host, boolean accepted) {
        assertThat(production.problem(URI.create("https://" + host + "/h")).isEmpty()).as(host).isEqualTo(accepted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "192.0.1.1", "192.0.3.1", "198.17.255.1", "198.20.0.1",
        "203.0.112.1", "223.255.255.1", "[2001:4860:4860::8888]", "[2606:4700:4700::1111]", "[2400:cb00::1]",
        "[2001:200::1]", "[2a00:1450:4001::1]"})
    void globallyReachableAddressesNextToRefusedBlocksAreAccepted(String host) {
        assertThat(production.problem(URI.create("https://" + host + "/h"))).as(host).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://internal.example.com/h| host internal.example.com resolves to a private, link-local or reserved address",
        "https://metadata.example.com/h| host metadata.example.com resolves to a private, link-local or reserved address",
        "https://loopback.example.com/h| host loopback.example.com resolves to a loopback address",
        "https://ula.example.com/h|      host ula.example.com resolves to a private, link-local or reserved address",
        "https://cgnat.example.com/h|    host cgnat.example.com resolves to a private, link-local or reserved address",
        "https://mapped.example.com/h|   host mapped.example.com resolves to a private, link-local or reserved address",
        "https://sixtofour.example.com/h| host sixtofour.example.com resolves to a private, link-local or reserved address",
        "https://nowhere.example.com/h|  host nowhere.example.com could not be resolved"})
    void aNameIsJudgedByEveryAddressItResolvesTo(String url, String problem) {
        assertThat(production.problem(URI.create(url))).contains(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://hooks.example.com:0/|          must have a port from 1 to 65535, not 0",
        "https://hooks.example.com:65536/h|     must have a port from 1 to 65535, not 65536",
        "https://93.184.215.14:99999/h|         must have a port from 1 to 65535, not 99999"})
    void aPortOutsideOneTo65535IsRefusedBeforeAnyLookup(String url, String problem) {
        assertThat(production.problem(URI.create(url))).contains(problem);
        assertThat(local.problem(URI.create(url.replace("hooks.example.com", "127.0.0.1")))).contains(problem);
        assertThat(dns.asked()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com:1/h", "https://hooks.example.com:65535/h",
        "https://hooks.example.com:8443/h", "https://hooks.example.com:/h"})
    void everyRealPortAndTheDefaultPortAreAccepted(String url) {
        assertThat(production.problem(URI.create(url))).isEmpty();
    }

    @Test
    void aNameWithOnePrivateAddressAmongPublicOnesIsRefusedWhole() {
        assertThat(production.problem(URI.create("https://mixed.example.com/h"))).isPresent();
        assertThatThrownBy(() -> production.permittedAddresses("mixed.example.com"))
                .isInstanceOf(WebhookUrlPolicy.RefusedAddressException.class);
    }

    @Test
    void aNameThatRebindsToAPrivateAddressAfterSubmissionIsRefusedAtDelivery() throws Exception {
        FixedResolver rebinding = new FixedResolver().answer("rebind.example.com", "93.184.215.14");
        WebhookUrlPolicy policy = WebhookUrlPolicy.publicInternet(rebinding);
        assertThat(policy.problem(URI.create("https://rebind.example.com/h"))).as("at submission").isEmpty();

        rebinding.answer("rebind.example.com", "169.254.169.254");
        assertThatThrownBy(() -> policy.permittedAddresses("rebind.example.com")).as("at delivery")
                .isInstanceOf(WebhookUrlPolicy.RefusedAddressException.class)
                .hasMessageContaining("rebind.example.com resolves to a private");
    }

    @Test
    void theAddressesPermittedAreExactlyTheOnesTheNameResolvedTo() throws Exception {
        assertThat(production.permittedAddresses("hooks.example.com")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c");
        assertThat(dns.asked()).contains("hooks.example.com");
    }

    @Test
    void ipLiteralsAreParsedNeverLookedUp() throws Exception {
        assertThat(production.permittedAddresses("93.184.215.14")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.215.14");
        assertThat(production.problem(URI.create("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/h"))).isEmpty();
        assertThat(dns.asked()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:3000/_local/webhooks/demo", "http://localhost:8080/hook",
        "http://[::1]:3000/hook", "https://127.0.0.1/hook", "http://127.0.0.1:65535/hook"})
    void theLocalCloudMayUseLoopback(String url) {
        assertThat(local.problem(URI.create(url))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.8/hook", "https://93.184.215.14/hook", "https://hooks.example.com/hook",
        "ftp://127.0.0.1/hook"})
    void theLocalCloudDeliversToLoopbackOnlyAndLooksNoNameUp(String url) {
        assertThat(local.problem(URI.create(url))).as(url).isPresent();
    }

    @Test
    void theLocalCloudSaysWhyANameIsRefused() {
        assertThat(local.problem(URI.create("https://hooks.example.com/hook")))
                .contains("host hooks.example.com is not a loopback name (the local cloud delivers to this machine only)");
    }
}
