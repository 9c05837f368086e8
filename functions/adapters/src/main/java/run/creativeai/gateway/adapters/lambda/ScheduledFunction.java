package run.creativeai.gateway.adapters.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * A function run on a schedule: EventBridge's event read as a plain map ({@link ScheduledEvents} takes
 * its time), which builds no object mapper; what the run did answered as a map.
 */
public abstract class ScheduledFunction extends LambdaFunction<Map<String, Object>, Map<String, Object>> {
    @Override
    protected final Map<String, Object> read(InputStream event) throws IOException {
        return LambdaJson.map(event);
    }

    @Override
    protected final void write(Map<String, Object> answer, OutputStream out) throws IOException {
        LambdaJson.write(answer, out);
    }
}
