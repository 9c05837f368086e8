package run.creativeai.template;

/** template.yaml cannot be read or uses something this project does not interpret. */
public final class TemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TemplateException(String message) {
        super(message);
    }
}
