package run.creativeai.gateway.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.GenerationRequestParser;
import run.creativeai.gateway.api.Parsed;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.UploadView;
import run.creativeai.gateway.media.ImageFormat;
import run.creativeai.gateway.media.MediaStore;
import run.creativeai.gateway.uploads.Uploads;

/**
 * {@code POST /v1/uploads} {@code {"content_type","size_bytes"}}: a presigned PUT the customer sends
 * the image's bytes to, straight to the uploads bucket. The URL is signed for exactly that type and
 * length, so the bucket itself refuses anything else. Counted against the read limit (it creates no
 * job); the bytes are checked when a job names the upload.
 */
public final class CreateUpload implements Route {
    private static final Set<String> FIELDS = Set.of("content_type", "size_bytes");

    private final ReadLimit reads;
    private final Uploads uploads;

    public CreateUpload(ReadLimit reads, Uploads uploads) {
        this.reads = reads;
        this.uploads = uploads;
    }

    @Override
    public String key() {
        return GatewayApi.CREATE_UPLOAD;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        Parsed<JsonNode> body = GenerationRequestParser.object(request.body());
        if (body instanceof Parsed.Invalid<JsonNode> invalid) {
            return invalid.error().toResponse();
        }
        JsonNode node = ((Parsed.Valid<JsonNode>) body).value();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                String shown = field.length() <= 80 ? field : field.substring(0, 80) + "...";
                return ApiError.invalidField(shown, "unknown field '" + shown
                        + "' for an upload; allowed fields are content_type, size_bytes").toResponse();
            }
        }
        JsonNode type = node.get("content_type");
        Optional<ImageFormat> format = type != null && type.isTextual() ? ImageFormat.fromContentType(type.asText())
                : Optional.empty();
        if (format.isEmpty()) {
            return ApiError.invalidField("content_type", "content_type must be one of "
                    + String.join(", ", ImageFormat.contentTypes())).toResponse();
        }
        long max = uploads.limits().maxBytes();
        JsonNode size = node.get("size_bytes");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 1
                || size.asLong() > max) {
            return ApiError.invalidField("size_bytes", "size_bytes must be the image's exact size in bytes, from 1 to "
                    + max).toResponse();
        }
        return reads.counted(principal, (decision, now) -> {
            Uploads.Created created = uploads.create(principal.tenantId(), format.get(), size.asLong());
            ObjectNode view = UploadView.of(new Uploads.Status(created.upload(), Uploads.State.PENDING,
                    Optional.empty()), max);
            MediaStore.SignedRequest put = created.request();
            view.put("upload_url", put.url().toString()).put("upload_method", put.method());
            ObjectNode headers = view.putObject("upload_headers");
            put.headers().forEach(headers::put);
            return new Reply(201, java.util.Map.of(), view).toResponse();
        });
    }
}
