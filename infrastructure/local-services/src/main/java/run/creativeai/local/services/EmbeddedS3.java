package run.creativeai.local.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;

/**
 * s3proxy, an S3-compatible server, in this JVM on a loopback port: objects in memory, or under
 * {@code <data>/s3} when a data directory is given (a directory per bucket, a file per object), so
 * a restart keeps them. It checks every request's SigV4 signature, presigned URLs and their expiry
 * included, against the local credentials. It keeps no lifecycle rules, bucket policies or
 * encryption settings: what the template declares about those holds on AWS only.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext store;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext store) {
        this.proxy = proxy;
        this.store = store;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public static EmbeddedS3 start(Optional<Path> dataDir) {
        BlobStoreContext store = blobStore(dataDir);
        try {
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, AwsBackend.ACCESS_KEY_ID, AwsBackend.SECRET_ACCESS_KEY)
                    .build();
            // Returns once Jetty listens (on the port it picked) and serves.
            proxy.start();
            return new EmbeddedS3(proxy, store);
        } catch (Exception e) {
            store.close();
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }

    private static BlobStoreContext blobStore(Optional<Path> dataDir) {
        ContextBuilder builder;
        if (dataDir.isPresent()) {
            try {
                Path dir = Files.createDirectories(dataDir.get().resolve("s3"));
                Properties properties = new Properties();
                properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, dir.toAbsolutePath().toString());
                builder = ContextBuilder.newBuilder("filesystem").overrides(properties);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            builder = ContextBuilder.newBuilder("transient");
        }
        return builder.credentials(AwsBackend.ACCESS_KEY_ID, AwsBackend.SECRET_ACCESS_KEY).build(BlobStoreContext.class);
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not stop", e);
        } finally {
            store.close();
        }
    }
}
