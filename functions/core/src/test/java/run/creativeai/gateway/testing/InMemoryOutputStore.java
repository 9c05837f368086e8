package run.creativeai.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.creativeai.gateway.dispatch.CopyOutcome;
import run.creativeai.gateway.dispatch.OutputStore;
import run.creativeai.gateway.job.Output;

/**
 * The outputs bucket in memory: a copy stores the source's URL as the object's bytes, unless a
 * scripted outcome says the copy fails this time. Keeps every object by key (a copy to the same key
 * replaces it) and every copy made.
 */
public final class InMemoryOutputStore implements OutputStore {
    /** Object key to the URL its bytes were copied from. */
    public final Map<String, String> objects = new LinkedHashMap<>();
    /** Every copy asked for, in order: the key written. */
    public final List<String> copies = new ArrayList<>();
    /** Outcomes of the next copies, in order; a copy with none scripted succeeds. */
    public final Deque<CopyOutcome> next = new ArrayDeque<>();
    /** Runs during each copy, as whatever else happens meanwhile would. */
    public Runnable whileCopying = () -> { };

    @Override
    public synchronized CopyOutcome copy(Output source, String key) {
        copies.add(key);
        whileCopying.run();
        CopyOutcome scripted = next.poll();
        if (scripted != null) {
            return scripted;
        }
        objects.put(key, source.url());
        byte[] bytes = source.url().getBytes(StandardCharsets.UTF_8);
        return new CopyOutcome.Copied(bytes.length, sha256(bytes), source.contentType());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
