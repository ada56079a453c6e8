package dev.clicklog.docs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * One home for every default: {@code docs/configuration.md}, {@code application.properties} and the
 * code's defaults ({@code @WithDefault} in every {@code @ConfigMapping} interface, {@code defaultValue}
 * of every {@code @ConfigProperty}) agree wherever a property appears in more than one of them; every
 * property the code reads and every one {@code application.properties} sets is in the doc, with the
 * environment variable that sets it. {@code %profile.} lines are a profile's own values, not defaults.
 */
class ConfigurationDocsTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
    private static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    private static final Path SOURCES = Path.of("src", "main", "java");
    /**
     * A row of the doc's tables: | `property` | `ENV_VAR` | `default` or – | meaning |; a property may end
     * in a quoted map key ({@code quarkus.container-image.labels."org.opencontainers.image.title"}).
     */
    private static final Pattern ROW = Pattern.compile(
            "^\\| `([a-z0-9.-]+(?:\\.\"[A-Za-z0-9._-]+\")?)` \\| `([A-Z0-9_]+)` \\| (`([^`]*)`|–) \\|");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"\\s*,\\s*defaultValue\\s*=\\s*\"([^\"]*)\"");
    /** No default: the property is optional. */
    private static final String NONE = "–";

    private record Documented(String envVar, String value) {
    }

    private static Map<String, Documented> documented;
    private static Map<String, String> properties;
    private static Map<String, String> codeDefaults;

    @BeforeAll
    static void read() throws Exception {
        documented = documented();
        properties = applicationProperties();
        codeDefaults = codeDefaults();
    }

    @Test
    void everyPropertyTheCodeReadsIsDocumented() {
        List<String> missing = codeDefaults.keySet().stream().filter(p -> !documented.containsKey(p)).toList();
        assertTrue(missing.isEmpty(), () -> "not in " + DOC + ": " + missing);
    }

    @Test
    void everyPropertyApplicationPropertiesSetsIsDocumented() {
        List<String> missing = properties.keySet().stream().filter(p -> !documented.containsKey(p)).toList();
        assertTrue(missing.isEmpty(), () -> "not in " + DOC + ": " + missing);
    }

    @Test
    void theDocTheCodeAndApplicationPropertiesGiveEachPropertyOneDefault() {
        List<String> disagreements = new ArrayList<>();
        documented.forEach((property, doc) -> {
            String code = codeDefaults.get(property);
            String file = properties.get(property);
            if (code != null && !same(code, doc.value())) {
                disagreements.add(property + ": the code's default is " + code + ", " + DOC + " says " + doc.value());
            }
            if (file != null && !same(file, doc.value())) {
                disagreements.add(property + ": application.properties sets " + file + ", " + DOC + " says " + doc.value());
            }
        });
        codeDefaults.forEach((property, code) -> {
            String file = properties.get(property);
            if (file != null && !same(file, code)) {
                disagreements.add(property + ": application.properties sets " + file + ", the code's default is " + code);
            }
        });
        assertTrue(disagreements.isEmpty(), () -> String.join("\n", disagreements));
    }

    @Test
    void eachEnvironmentVariableIsTheOneThatSetsItsProperty() {
        List<String> wrong = new ArrayList<>();
        documented.forEach((property, doc) -> {
            String expected = property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            if (!expected.equals(doc.envVar())) {
                wrong.add(property + " is set by " + expected + ", not " + doc.envVar());
            }
        });
        assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
    }

    @Test
    void theComparisonSeesEveryHome() {
        // Checks over empty reads would pass whatever the files say.
        assertTrue(documented.size() > 60, "rows read from the doc: " + documented.size());
        assertTrue(codeDefaults.containsKey("clicklog.pipelines.lease"), codeDefaults.keySet().toString());
        assertTrue(codeDefaults.containsKey("clicklog.localaws.kinesis.shard-limit"), codeDefaults.keySet().toString());
        assertTrue(properties.containsKey("clicklog.pipelines.lease"), properties.keySet().toString());
        assertFalse(same("30s", "60s"));
        assertTrue(same("30s", "PT30S"));
        assertTrue(same("500ms", "PT0.5S"));
    }

    /** Equal as written, or as durations ({@code 30s}, {@code PT30S}, {@code 30000ms}). */
    static boolean same(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Duration da = duration(a);
        return da != null && da.equals(duration(b));
    }

    private static Duration duration(String value) {
        String v = value.trim();
        if (v.toUpperCase(Locale.ROOT).startsWith("PT") || v.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(v);
            } catch (RuntimeException e) {
                return null;
            }
        }
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(v);
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static Map<String, Documented> documented() throws IOException {
        Map<String, Documented> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                Documented previous = rows.put(m.group(1), new Documented(m.group(2), m.group(4) != null ? m.group(4) : NONE));
                assertTrue(previous == null, m.group(1) + " is documented twice");
            }
        }
        return rows;
    }

    /** application.properties without its profile lines ({@code %test.…}). */
    private static Map<String, String> applicationProperties() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES)) {
            p.load(in);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).sorted()
                .forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }

    /** Every property the code reads with its default ({@value #NONE} when it has none). */
    private static Map<String, String> codeDefaults() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path source : sources()) {
            String text = Files.readString(source);
            if (text.contains("@ConfigMapping(")) {
                Class<?> mapping = Class.forName(className(source));
                walk(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, out);
            }
            Matcher m = CONFIG_PROPERTY.matcher(text);
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }

    /** The properties of a mapping interface: a method each, a nested interface a group of them. */
    private static void walk(String prefix, Class<?> mapping, Map<String, String> out) {
        for (Method method : mapping.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName name = method.getAnnotation(WithName.class);
            String property = prefix + "." + (name != null ? name.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getName().startsWith("dev.clicklog")) {
                walk(property, type, out);
                continue;
            }
            WithDefault value = method.getAnnotation(WithDefault.class);
            // a map (name.<key>=value) without a default is empty, not required
            boolean optional = type == Optional.class || type == OptionalInt.class || type == Map.class;
            out.put(property, value != null ? value.value() : optional ? NONE : "(required)");
        }
    }

    /** SmallRye's names: {@code readsPerShardPerSecond} → {@code reads-per-shard-per-second}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String className(Path source) {
        String relative = SOURCES.relativize(source).toString();
        return relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
    }
}
