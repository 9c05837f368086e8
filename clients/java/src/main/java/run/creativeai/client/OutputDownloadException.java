package run.creativeai.client;

/**
 * An output's bytes could not be had intact: its URL refused (it expired: read the generation again
 * for a fresh one), or what arrived is not what the gateway's copy measured (size or SHA-256).
 */
public final class OutputDownloadException extends CreativeAiException {
    private static final long serialVersionUID = 1L;

    OutputDownloadException(String message) {
        super(message, null);
    }
}
