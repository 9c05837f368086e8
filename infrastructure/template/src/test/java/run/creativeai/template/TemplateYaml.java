package run.creativeai.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The project's template.yaml, and copies of it broken in one place. */
final class TemplateYaml {
    static final Path PATH = Path.of(System.getProperty("template.path")).toAbsolutePath().normalize();

    private TemplateYaml() {
    }

    static String text() {
        try {
            return Files.readString(PATH);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** template.yaml with the first occurrence of {@code target} replaced; the target must still be there. */
    static String with(String target, String replacement) {
        String text = text();
        assertThat(text).as("template.yaml still contains the text this case breaks").contains(target);
        return text.replaceFirst(Pattern.quote(target), Matcher.quoteReplacement(replacement));
    }
}
