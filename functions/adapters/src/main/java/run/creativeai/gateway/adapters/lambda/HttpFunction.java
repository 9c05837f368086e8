package run.creativeai.gateway.adapters.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** A function behind the HTTP API: API Gateway's payload 2.0 in, its response out. */
public abstract class HttpFunction extends LambdaFunction<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    protected HttpFunction() {
        super();
    }

    protected HttpFunction(int primingRounds) {
        super(primingRounds);
    }

    @Override
    protected final APIGatewayV2HTTPEvent read(InputStream event) throws IOException {
        return LambdaJson.httpEvent(event);
    }

    @Override
    protected final void write(APIGatewayV2HTTPResponse answer, OutputStream out) throws IOException {
        LambdaJson.write(answer, out);
    }
}
