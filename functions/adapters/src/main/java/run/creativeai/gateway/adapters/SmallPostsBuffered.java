package run.creativeai.gateway.adapters;

import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The url-connection client, without the millisecond the JDK spends before every small POST on a
 * kept-alive connection.
 *
 * <p>The SDK's url-connection client streams every request body whose length it knows
 * ({@code setFixedLengthStreamingMode}). Before the JDK sends a streamed POST on a connection from
 * its keep-alive cache, it checks that the server has not closed it: a read with a timeout of one
 * millisecond ({@code sun.net.www.http.HttpClient.available}), which waits out that millisecond on
 * every live connection, since nothing is there to read. Every DynamoDB, SQS and Secrets Manager
 * call is a POST: a job's start, of some eight calls one after another, waited 8 to 10 ms on it.
 *
 * <p>For a POST whose body is at most {@value #LARGEST_BUFFERED} bytes this client takes the length
 * off the request it hands on, so the JDK buffers the body and sends it with the same
 * {@code Content-Length} (the signature, which covers that header, still holds). A buffered POST
 * skips the check: should the connection turn out closed (reading the answer fails), the JDK sends
 * the buffered request again, once, on a new connection, which it cannot do with a body it has
 * streamed away; never after a timeout. Like the SDK's own retry of a failed call, which covers the
 * same failures, that may repeat a request the server did receive, and every AWS write here is safe
 * to repeat for that reason. Larger bodies, and every other method (S3's uploads are PUTs), are
 * streamed as before, so an output's copy still holds no more than one part in memory. The
 * providers' calls keep the check ({@code ProviderHttp}): a provider's submission is not safe to
 * send twice, and nothing above the JDK would know it had been.
 */
final class SmallPostsBuffered implements SdkHttpClient {
    /** A DynamoDB item is at most 400 KB; a batch or transaction of them can be larger, and is streamed. */
    static final long LARGEST_BUFFERED = 512 * 1024;
    private static final String CONTENT_LENGTH = "Content-Length";

    private final SdkHttpClient http;

    SmallPostsBuffered(SdkHttpClient http) {
        this.http = http;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return http.prepareRequest(buffered(request) ? withoutLength(request) : request);
    }

    static boolean buffered(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        return http.method() == SdkHttpMethod.POST && request.contentStreamProvider().isPresent()
                && http.firstMatchingHeader(CONTENT_LENGTH).map(Long::parseLong)
                        .filter(length -> length <= LARGEST_BUFFERED).isPresent();
    }

    private static HttpExecuteRequest withoutLength(HttpExecuteRequest request) {
        HttpExecuteRequest.Builder builder = HttpExecuteRequest.builder()
                .request(request.httpRequest().toBuilder().removeHeader(CONTENT_LENGTH).build())
                .contentStreamProvider(request.contentStreamProvider().get());
        request.metricCollector().ifPresent(builder::metricCollector);
        return builder.build();
    }

    @Override
    public String clientName() {
        return http.clientName();
    }

    @Override
    public void close() {
        http.close();
    }
}
