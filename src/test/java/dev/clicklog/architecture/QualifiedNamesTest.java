package dev.clicklog.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No fully qualified class names in code where an import does: {@code java.util.List<String>} or
 * {@code new java.util.HashMap<>()} inline reads as noise and hides what a class depends on. Import
 * lines, comments (Javadoc may link a class it does not import) and string literals are left alone.
 */
class QualifiedNamesTest {

    /**
     * Where a simple name would clash, so the qualified name is needed: file and the name it
     * qualifies.
     */
    private static final Set<String> NEEDED = Set.of(
            // The wrapper is itself named JsonPath, after Jayway's class it wraps.
            "src/main/java/dev/clicklog/localaws/apigateway/template/JsonPath.java com.jayway.jsonpath.JsonPath",
            // The SDK's Integration next to the portal's own IngestApiDefinition.Integration.
            "src/main/java/dev/clicklog/portal/adapter/IngestApiAdapter.java "
                    + "software.amazon.awssdk.services.apigateway.model.Integration");

    private static final Pattern QUALIFIED = Pattern.compile(
            "\\b(?:java|javax|jakarta|dev|software|com|org|io)\\.(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void noCodeLineQualifiesAClassAnImportWouldName() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src", "main", "java"), Path.of("src", "test", "java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    found.addAll(scan(file.toString().replace('\\', '/'), Files.readAllLines(file)));
                }
            }
        }
        found.removeIf(f -> NEEDED.contains(f.substring(0, f.indexOf(':')) + " " + f.substring(f.lastIndexOf(' ') + 1)));
        assertTrue(found.isEmpty(), () -> "import these instead:\n" + String.join("\n", found));
    }

    @Test
    void theScanFindsQualifiedNamesInCodeOnly() {
        List<String> found = scan("Example.java", List.of(
                "import java.util.List;",
                "/** {@link java.util.Map} */",
                "/*",
                " * java.util.Set in a comment",
                " */",
                "    private final java.util.List<String> names = new java.util.ArrayList<>();",
                "    String s = \"dev.clicklog.portal.Pipeline\"; // java.util.Optional",
                "    @org.junit.jupiter.api.AfterEach"));
        assertEquals(List.of("Example.java:6: java.util.List", "Example.java:6: java.util.ArrayList",
                "Example.java:8: org.junit.jupiter.api.AfterEach"), found);
    }

    /** "file:line: name" for each qualified class name in a code line. */
    static List<String> scan(String file, List<String> lines) {
        List<String> found = new ArrayList<>();
        boolean inComment = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (inComment) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("/*")) {
                inComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("import ") || line.startsWith("package ") || line.startsWith("//") || line.startsWith("*")) {
                continue;
            }
            String code = STRING.matcher(line).replaceAll("\"\"");
            int comment = code.indexOf("//");
            Matcher m = QUALIFIED.matcher(comment < 0 ? code : code.substring(0, comment));
            while (m.find()) {
                found.add(file + ":" + (i + 1) + ": " + m.group());
            }
        }
        return found;
    }
}
