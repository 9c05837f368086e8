package run.creativeai.gateway.api.routes;

import java.util.Optional;
import run.creativeai.gateway.access.Principal;
import run.creativeai.gateway.api.ApiError;
import run.creativeai.gateway.api.ApiRequest;
import run.creativeai.gateway.api.ApiResponse;
import run.creativeai.gateway.api.GatewayApi;
import run.creativeai.gateway.api.ReadLimit;
import run.creativeai.gateway.api.Reply;
import run.creativeai.gateway.api.Route;
import run.creativeai.gateway.api.UploadView;
import run.creativeai.gateway.media.UploadId;
import run.creativeai.gateway.uploads.Uploads;

/**
 * {@code GET /v1/uploads/{id}}: an upload of the caller's tenant and where it stands ({@code pending},
 * {@code uploaded}, {@code expired}); another tenant's is a 404 like an unknown one. A read.
 */
public final class GetUpload implements Route {
    private final ReadLimit reads;
    private final Uploads uploads;

    public GetUpload(ReadLimit reads, Uploads uploads) {
        this.reads = reads;
        this.uploads = uploads;
    }

    @Override
    public String key() {
        return GatewayApi.GET_UPLOAD;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Principal principal) {
        return reads.counted(principal, (decision, now) -> {
            String raw = request.pathParameter("id").orElse("");
            Optional<Uploads.Status> status = UploadId.parse(raw).flatMap(id -> uploads.find(principal.tenantId(), id));
            if (status.isEmpty()) {
                String shown = raw.length() <= 80 ? raw : raw.substring(0, 80) + "...";
                return ApiError.notFound("no upload " + shown).toResponse();
            }
            return new Reply(200, java.util.Map.of(), UploadView.of(status.get(), uploads.limits().maxBytes()))
                    .toResponse();
        });
    }
}
