package run.creativeai.gateway.config;

/** A function was deployed or configured wrongly; raised at init so the error shows before traffic does. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
