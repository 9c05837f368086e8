package run.creativeai.gateway.adapters.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.creativeai.gateway.adapters.http.OutputDownloads;
import run.creativeai.gateway.dispatch.CopyOutcome;
import run.creativeai.gateway.dispatch.OutputStore;
import run.creativeai.gateway.job.Output;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Copies a provider's output into the outputs bucket in one pass over its bytes, holding two parts
 * ({@link #PART_SIZE} each) in memory whatever the output's size: an output that fits in one part is
 * one PutObject, a larger one a multipart upload of full parts, each sent while the next is read. The SHA-256 and the size are computed from the same bytes on the way. A failed multipart
 * upload is aborted (the bucket's lifecycle rule removes any it could not abort). Outputs are
 * written under keys that name their job, attempt and index, so copying one again replaces it.
 */
public final class S3OutputStore implements OutputStore {
    /** Above S3's 5 MiB minimum part; the memory one copy needs, whatever the output's size. */
    public static final int PART_SIZE = 8 * 1024 * 1024;
    /** No output is larger: the seeds' longest videos are a few hundred megabytes. */
    public static final long MAX_OUTPUT_BYTES = 4L * 1024 * 1024 * 1024;
    /** Each S3 call of a copy: a part takes seconds on a busy network, longer than the clients' default. */
    private static final AwsRequestOverrideConfiguration TRANSFER_TIMEOUTS = AwsRequestOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(60))
            .apiCallAttemptTimeout(Duration.ofSeconds(30))
            .build();
    private static final Logger LOG = LoggerFactory.getLogger(S3OutputStore.class);
    /** Sends parts while the copy reads the next; one thread per copy in flight, kept while copies go on. */
    private static final ExecutorService SENDERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "output-parts");
        thread.setDaemon(true);
        return thread;
    });

    private final Supplier<S3Client> s3;
    private final String bucket;
    private final OutputDownloads downloads;
    private final Duration deadline;
    private final Clock clock;

    /** @param deadline the longest one output's copy may take, download and upload together */
    public S3OutputStore(S3Client s3, String bucket, OutputDownloads downloads, Duration deadline, Clock clock) {
        this(() -> s3, bucket, downloads, deadline, clock);
    }

    /**
     * @param s3       asked for at the first copy: a job's start copies nothing, and building an S3 client
     *                 loads some 400 classes at a cold start
     * @param deadline the longest one output's copy may take, download and upload together
     */
    public S3OutputStore(Supplier<S3Client> s3, String bucket, OutputDownloads downloads, Duration deadline, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.downloads = downloads;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public CopyOutcome copy(Output source, String key) {
        URI url;
        try {
            url = new URI(source.url());
        } catch (URISyntaxException e) {
            return new CopyOutcome.Refused("has no valid URL");
        }
        Instant start = clock.instant();
        OutputDownloads.Result<CopyOutcome> result = downloads.get(url, deadline, answer -> {
            int status = answer.status();
            if (status == 401 || status == 403 || status == 404 || status == 410) {
                return new CopyOutcome.Gone("HTTP " + status);
            }
            if (status < 200 || status > 299) {
                return new CopyOutcome.Failed(CopyOutcome.Side.SOURCE, "HTTP " + status);
            }
            if (answer.length().isPresent() && answer.length().getAsLong() > MAX_OUTPUT_BYTES) {
                return new CopyOutcome.Refused("is " + answer.length().getAsLong() + " bytes, more than the "
                        + MAX_OUTPUT_BYTES + " an output may have");
            }
            String type = answer.contentType().filter(S3OutputStore::isMedia).orElse(source.contentType());
            return upload(answer.body(), key, type, start);
        });
        if (result instanceof OutputDownloads.Handled<CopyOutcome> handled) {
            return handled.value();
        }
        if (result instanceof OutputDownloads.Refused<CopyOutcome> refused) {
            return new CopyOutcome.Refused(refused.detail());
        }
        return new CopyOutcome.Failed(CopyOutcome.Side.SOURCE,
                "no answer: " + ((OutputDownloads.Unreachable<CopyOutcome>) result).detail());
    }

    /** The server's type when it names a medium; a generic one says less than the provider's report. */
    private static boolean isMedia(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("image/") || type.startsWith("video/");
    }

    private CopyOutcome upload(InputStream body, String key, String contentType, Instant start) {
        MessageDigest sha256 = sha256();
        // Two parts: the next is read and hashed while the previous one is sent.
        byte[][] buffers = {new byte[PART_SIZE], new byte[PART_SIZE]};
        long size = 0;
        String uploadId = null;
        Future<CompletedPart> sending = null;
        List<CompletedPart> parts = new ArrayList<>();
        try {
            for (int index = 0; ; index++) {
                byte[] part = buffers[index % 2];
                int filled;
                try {
                    filled = body.readNBytes(part, 0, PART_SIZE);
                } catch (IOException e) {
                    return abort(uploadId, key, sending, new CopyOutcome.Failed(CopyOutcome.Side.SOURCE,
                            "the download broke after " + size + " bytes (" + e.getClass().getSimpleName() + ")"));
                }
                sha256.update(part, 0, filled);
                size += filled;
                if (size > MAX_OUTPUT_BYTES) {
                    return abort(uploadId, key, sending, new CopyOutcome.Refused("is larger than the " + MAX_OUTPUT_BYTES
                            + " bytes an output may have"));
                }
                if (Duration.between(start, clock.instant()).compareTo(deadline) > 0) {
                    return abort(uploadId, key, sending, new CopyOutcome.Failed(CopyOutcome.Side.SOURCE,
                            "not copied within " + deadline.toSeconds() + " s (" + size + " bytes so far)"));
                }
                if (uploadId == null && filled < PART_SIZE) {
                    // The whole output fits in one part: one request.
                    s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength((long) filled)
                            .overrideConfiguration(TRANSFER_TIMEOUTS), body(part, filled));
                    return new CopyOutcome.Copied(size, HexFormat.of().formatHex(sha256.digest()), contentType);
                }
                if (uploadId == null) {
                    uploadId = s3.get().createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)
                            .overrideConfiguration(TRANSFER_TIMEOUTS)).uploadId();
                }
                if (sending != null) {
                    // One part in flight at a time; its buffer is read into again only after it was sent.
                    parts.add(sending.get());
                    sending = null;
                }
                if (filled > 0) {
                    int number = parts.size() + 1;
                    String id = uploadId;
                    sending = SENDERS.submit(() -> CompletedPart.builder().partNumber(number).eTag(s3.get().uploadPart(b -> b
                            .bucket(bucket).key(key).uploadId(id).partNumber(number).contentLength((long) filled)
                            .overrideConfiguration(TRANSFER_TIMEOUTS), body(part, filled)).eTag()).build());
                }
                if (filled < PART_SIZE) {
                    if (sending != null) {
                        parts.add(sending.get());
                        sending = null;
                    }
                    String id = uploadId;
                    s3.get().completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                            .multipartUpload(m -> m.parts(parts)).overrideConfiguration(TRANSFER_TIMEOUTS));
                    return new CopyOutcome.Copied(size, HexFormat.of().formatHex(sha256.digest()), contentType);
                }
            }
        } catch (SdkException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof Error error) {
                // Not an answer of the bucket: the process is failing, as if on this thread.
                throw error;
            }
            return abort(uploadId, key, sending, new CopyOutcome.Failed(CopyOutcome.Side.STORAGE,
                    "the bucket refused or did not answer: " + cause.getClass().getSimpleName() + ": " + firstLine(cause)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return abort(uploadId, key, sending, new CopyOutcome.Failed(CopyOutcome.Side.STORAGE, "interrupted"));
        }
    }

    /** The part's bytes as the SDK reads them, without a copy (the SDK may read them twice, to sign and to send). */
    private static RequestBody body(byte[] part, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                "application/octet-stream");
    }

    private CopyOutcome abort(String uploadId, String key, Future<CompletedPart> sending, CopyOutcome outcome) {
        if (sending != null) {
            // The part in flight finishes or fails before the upload is aborted, so it leaves nothing behind.
            try {
                sending.get();
            } catch (ExecutionException e) {
                // Its failure is the outcome's, or beside it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (uploadId != null) {
            try {
                s3.get().abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                LOG.warn("multipart upload {} of {} could not be aborted; the bucket's lifecycle rule removes it",
                        uploadId, key, e);
            }
        }
        return outcome;
    }

    private static String firstLine(Throwable e) {
        String message = Optional.ofNullable(e.getMessage()).orElse("");
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
