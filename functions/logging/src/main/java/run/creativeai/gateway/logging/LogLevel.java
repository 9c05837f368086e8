package run.creativeai.gateway.logging;

import java.util.Locale;
import org.slf4j.event.Level;

/** The lowest level written: Lambda's ApplicationLogLevel when the template sets one, else INFO. */
final class LogLevel {
    private LogLevel() {
    }

    /**
     * @param lambdaLevel {@code AWS_LAMBDA_LOG_LEVEL}, which Lambda sets from {@code LoggingConfig.ApplicationLogLevel}
     * @param property    the {@code gateway.log.level} system property, for runs outside Lambda
     */
    static Level threshold(String lambdaLevel, String property) {
        for (String candidate : new String[] {lambdaLevel, property}) {
            if (candidate != null && !candidate.isBlank()) {
                String name = candidate.trim().toUpperCase(Locale.ROOT);
                // Lambda's names beside SLF4J's: FATAL is ERROR's loudest, anything unknown keeps INFO.
                return switch (name) {
                    case "TRACE", "DEBUG", "INFO", "WARN", "ERROR" -> Level.valueOf(name);
                    case "FATAL" -> Level.ERROR;
                    default -> Level.INFO;
                };
            }
        }
        return Level.INFO;
    }
}
