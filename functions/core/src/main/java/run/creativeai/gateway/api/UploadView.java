package run.creativeai.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import run.creativeai.gateway.json.Json;
import run.creativeai.gateway.uploads.Uploads;

/** The public JSON form of an upload: what creating it and reading it answer. */
public final class UploadView {
    private UploadView() {
    }

    public static ObjectNode of(Uploads.Status status, long maxBytes) {
        ObjectNode view = Json.object()
                .put("id", status.upload().id().value())
                .put("object", "upload")
                .put("status", status.state().wireName())
                .put("content_type", status.upload().declaredFormat().contentType())
                .put("size_bytes", status.upload().declaredBytes())
                .put("max_bytes", maxBytes)
                .put("created_at", status.upload().createdAt().toString())
                .put("expires_at", status.upload().uploadBy().toString())
                .put("usable_until", status.upload().usableUntil().toString());
        status.stored().ifPresentOrElse(s -> view.put("uploaded_bytes", s.bytes()), () -> view.putNull("uploaded_bytes"));
        return view;
    }
}
