package run.creativeai.gateway.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider of every function: each event is one JSON object on one line of standard
 * output, with the level, the logger, the message, the thread's MDC (request, job, tenant, function,
 * cold start) and any exception, so CloudWatch Logs Insights can filter on every field and a stack
 * trace stays one log event. Found by SLF4J through {@code META-INF/services}.
 *
 * <p>Chosen over Powertools logging for cold start and jar size (measured: see the README's
 * Observability section): it loads a handful of classes and no configuration file.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    private ILoggerFactory loggers;
    private IMarkerFactory markers;
    private MDCAdapter mdc;

    @Override
    public void initialize() {
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
        Level threshold = LogLevel.threshold(System.getenv("AWS_LAMBDA_LOG_LEVEL"),
                System.getProperty("gateway.log.level"));
        JsonLines out = new JsonLines(mdc);
        loggers = name -> new JsonLogger(name, threshold, out);
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
