package run.creativeai.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for localhost and 127.0.0.1, made once per JVM by the JDK's keytool (EC
 * P-256, valid two days), for servers on loopback that a client must reach over TLS.
 */
public final class LocalhostCertificate {
    /** The PKCS12 store's password, also its key's. */
    public static final String PASSWORD = "localhost";
    private static Path store;

    private LocalhostCertificate() {
    }

    /** The PKCS12 file (for {@code -Djavax.net.ssl.trustStore} of a JVM that must trust it). */
    public static synchronized Path store() {
        if (store == null) {
            try {
                Path dir = Files.createTempDirectory("localhost-certificate");
                Path file = dir.resolve("localhost.p12");
                Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD)
                        .redirectErrorStream(true).start();
                String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (keytool.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + output);
                }
                file.toFile().deleteOnExit();
                dir.toFile().deleteOnExit();
                store = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return store;
    }

    /** A server's TLS context presenting the certificate. */
    public static SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(), PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers that trust the certificate alone. */
    public static TrustManager[] trustManagers() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore());
            return trust.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore() throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(store())) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
