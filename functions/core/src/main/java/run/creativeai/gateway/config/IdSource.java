package run.creativeai.gateway.config;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Where identifiers come from. Ids are time-ordered (48-bit milliseconds, then 80 random bits, in
 * Crockford base32 like a ULID), so a table scan or a log reads in creation order. Injected, so that
 * tests can make ids predictable.
 */
@FunctionalInterface
public interface IdSource {
    /** A new 26-character identifier. */
    String next();

    /**
     * An identifier derived from {@code text} alone (26 hex digits of its SHA-256), for things that
     * must get the same id however often, or by whomever, they are made.
     */
    static String derived(String text) {
        return sha256Hex(text, 26);
    }

    /** The first {@code digits} hex digits of the SHA-256 of {@code text}'s UTF-8 bytes. */
    static String sha256Hex(String text, int digits) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest).substring(0, digits);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    static IdSource random(Clock clock) {
        SecureRandom random = new SecureRandom();
        return () -> Ulid.encode(clock.millis(), random);
    }

    /** Crockford base32 ULID encoding. */
    final class Ulid {
        private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

        private Ulid() {
        }

        static String encode(long millis, SecureRandom random) {
            char[] out = new char[26];
            long time = millis;
            for (int i = 9; i >= 0; i--) {
                out[i] = ALPHABET[(int) (time & 31)];
                time >>>= 5;
            }
            byte[] entropy = new byte[10];
            random.nextBytes(entropy);
            long hi = 0;
            for (int i = 0; i < 5; i++) {
                hi = (hi << 8) | (entropy[i] & 0xff);
            }
            long lo = 0;
            for (int i = 5; i < 10; i++) {
                lo = (lo << 8) | (entropy[i] & 0xff);
            }
            for (int i = 17; i >= 10; i--) {
                out[i] = ALPHABET[(int) (hi & 31)];
                hi >>>= 5;
            }
            for (int i = 25; i >= 18; i--) {
                out[i] = ALPHABET[(int) (lo & 31)];
                lo >>>= 5;
            }
            return new String(out);
        }
    }
}
