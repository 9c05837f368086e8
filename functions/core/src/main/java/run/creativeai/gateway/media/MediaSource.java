package run.creativeai.gateway.media;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an input image of a generation comes from, as the customer named it: an upload of theirs,
 * an https URL, or (in a workflow) an output of an earlier step. Before a job is admitted a URL's
 * bytes are copied into the uploads bucket and a step's reference is resolved to the stored output
 * it names, so an admitted job names uploads and stored outputs only, and providers see nothing but
 * the gateway's own presigned URLs.
 */
public sealed interface MediaSource permits MediaSource.Upload, MediaSource.Remote, MediaSource.StepOutput,
        MediaSource.Output {

    /** The wire form: the upload id, the URL, the reference, or the stored object's key. */
    String wire();

    /** True for what a provider may be given a presigned URL of: an upload, or a stored output. */
    default boolean isGatewayOwned() {
        return this instanceof Upload || this instanceof Output;
    }

    record Upload(UploadId id) implements MediaSource {
        public Upload {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String wire() {
            return id.value();
        }
    }

    record Remote(URI url) implements MediaSource {
        public Remote {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String wire() {
            return url.toString();
        }
    }

    /**
     * Output {@code index} (from 0) of the workflow step {@code step}, written
     * {@code {{step.outputs[index]}}}: resolved to that step's stored output once the step has succeeded.
     */
    record StepOutput(String step, int index) implements MediaSource {
        /** A reference as a whole field value; step ids are those {@link #STEP_ID} allows. */
        public static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([a-z0-9_-]{1,40})\\.outputs\\[(\\d{1,2})]\\s*}}");
        /** What a workflow step's id may be: what a reference can name. */
        public static final Pattern STEP_ID = Pattern.compile("[a-z0-9_-]{1,40}");

        public StepOutput {
            Objects.requireNonNull(step, "step");
            if (index < 0) {
                throw new IllegalArgumentException("outputs count from 0");
            }
        }

        /** The reference {@code text} makes, when the whole of it is one. */
        public static Optional<StepOutput> parse(String text) {
            Matcher m = REFERENCE.matcher(text);
            return m.matches() ? Optional.of(new StepOutput(m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
        }

        @Override
        public String wire() {
            return "{{" + step + ".outputs[" + index + "]}}";
        }
    }

    /** An output a job stored in the gateway's outputs bucket, by its object key. */
    record Output(String key) implements MediaSource {
        /** Every stored output's key starts so (the job package's {@code StoredOutput.prefix}). */
        public static final String KEY_PREFIX = "outputs/";

        public Output {
            Objects.requireNonNull(key, "key");
            if (!key.startsWith(KEY_PREFIX)) {
                throw new IllegalArgumentException("not a stored output's key: " + key);
            }
        }

        @Override
        public String wire() {
            return key;
        }
    }

    /** Reads the wire form back: an upload id, a stored output's key, a reference, else a URL. */
    static MediaSource fromWire(String value) {
        Optional<UploadId> upload = UploadId.parse(value);
        if (upload.isPresent()) {
            return new Upload(upload.get());
        }
        if (value.startsWith(Output.KEY_PREFIX)) {
            return new Output(value);
        }
        return StepOutput.parse(value).<MediaSource>map(s -> s).orElseGet(() -> new Remote(URI.create(value)));
    }
}
