package run.creativeai.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** A test function for Schedule events: answers with the event it was invoked with. */
public final class TickHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public TickHandler(Map<String, String> environment) {
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>(event);
        answer.put("function", context.getFunctionName());
        return answer;
    }
}
