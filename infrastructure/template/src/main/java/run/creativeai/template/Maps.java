package run.creativeai.template;

import java.util.List;
import java.util.Map;

/** Checked access to the maps and lists a YAML document is made of. */
final class Maps {
    private Maps() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new TemplateException(where + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List)) {
            throw new TemplateException(where + " must be a list");
        }
        return (List<Object>) value;
    }
}
