package dev.clicklog.localaws.apigateway.template;

import java.io.StringReader;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.apache.velocity.Template;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;
import org.apache.velocity.runtime.RuntimeInstance;

/**
 * Compiles API Gateway mapping templates (Velocity Template Language) once, at deployment, so
 * that requests only render them. Like API Gateway, a reference to nothing renders as an empty
 * string, a #foreach stops after 1,000 iterations, and templates are sandboxed.
 */
public final class MappingTemplates {

    private final RuntimeInstance velocity = new RuntimeInstance();

    public MappingTemplates() {
        Properties p = new Properties();
        p.setProperty("directive.foreach.max_loops", "1000");
        p.setProperty("runtime.log.log_invalid_references", "false");
        p.setProperty("runtime.strict_mode.enable", "false");
        // API Gateway's VTL (Velocity 1.7) reads hyphens as part of a name: $context.responseOverride.header.Access-Control-Allow-Origin.
        p.setProperty("parser.allow_hyphen_in_identifiers", "true");
        // Templates are code from whoever can call the control plane: no reflection, class loading or processes.
        p.setProperty("introspector.uberspect.class", "org.apache.velocity.util.introspection.SecureUberspector");
        // Nor files: #include and #parse find nothing (the only loader holds no templates).
        p.setProperty("resource.loaders", "string");
        p.setProperty("resource.loader.string.class", "org.apache.velocity.runtime.resource.loader.StringResourceLoader");
        velocity.init(p);
        ReferenceInsertionEventHandler nullAsEmpty = (context, reference, value) -> value == null ? "" : value;
        velocity.getApplicationEventCartridge().addReferenceInsertionEventHandler(nullAsEmpty);
    }

    /** A template ready to render; a syntax error is kept and reported when the template is used, as on AWS. */
    public MappingTemplate compile(String name, String text) {
        try {
            Template t = new Template();
            t.setName(name);
            t.setRuntimeServices(velocity);
            t.setData(velocity.parse(new StringReader(text), t));
            t.initDocument();
            return new MappingTemplate(t, null);
        } catch (Exception e) {
            return new MappingTemplate(null, e.getMessage());
        }
    }

    /** One compiled template (or the reason it does not compile). Thread-safe. */
    public static final class MappingTemplate {

        private final Template template;
        private final String error;

        private MappingTemplate(Template template, String error) {
            this.template = template;
            this.error = error;
        }

        /** Renders with API Gateway's variables; a template that fails is a {@link TemplateFailure}. */
        public String render(TemplateInput input, TemplateContext context, Map<String, String> stageVariables) {
            if (template == null) {
                throw new TemplateFailure(error);
            }
            StringBuilderWriter out = OUTPUT.get();
            out.reset();
            try {
                template.merge(new Variables(input, context, stageVariables), out);
            } catch (TemplateInput.UnparsableBody e) {
                throw e;
            } catch (RuntimeException e) {
                // Velocity wraps exceptions thrown by $input and $util methods.
                if (e.getCause() instanceof TemplateInput.UnparsableBody unparsable) {
                    throw unparsable;
                }
                throw new TemplateFailure(e.getMessage());
            }
            return out.toString();
        }
    }

    /** One output buffer per thread: rendering is synchronous, so event loops reuse theirs. */
    private static final ThreadLocal<StringBuilderWriter> OUTPUT = ThreadLocal.withInitial(StringBuilderWriter::new);

    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder sb = new StringBuilder(512);

        void reset() {
            sb.setLength(0);
        }

        @Override
        public void write(char[] chars, int off, int len) {
            sb.append(chars, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            sb.append(s, off, off + len);
        }

        @Override
        public void write(int c) {
            sb.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /**
     * A template's variables: API Gateway's four fixed ones, and whatever #set and #foreach add,
     * without a map per request for the fixed ones.
     */
    private static final class Variables implements Context {
        private final TemplateInput input;
        private final TemplateContext context;
        private final Map<String, String> stageVariables;
        private Map<String, Object> locals;

        Variables(TemplateInput input, TemplateContext context, Map<String, String> stageVariables) {
            this.input = input;
            this.context = context;
            this.stageVariables = stageVariables;
        }

        @Override
        public Object put(String key, Object value) {
            if (locals == null) {
                locals = new HashMap<>();
            }
            return locals.put(key, value);
        }

        @Override
        public Object get(String key) {
            if (locals != null && locals.containsKey(key)) {
                return locals.get(key);
            }
            return switch (key) {
                case "input" -> input;
                case "util" -> TemplateUtil.INSTANCE;
                case "context" -> context;
                case "stageVariables" -> stageVariables;
                default -> null;
            };
        }

        @Override
        public boolean containsKey(String key) {
            return get(key) != null;
        }

        @Override
        public String[] getKeys() {
            Set<String> keys = new TreeSet<>(List.of("input", "util", "context", "stageVariables"));
            if (locals != null) {
                keys.addAll(locals.keySet());
            }
            return keys.toArray(String[]::new);
        }

        @Override
        public Object remove(String key) {
            return locals == null ? null : locals.remove(key);
        }
    }

    /** A template that does not parse or fails while rendering: API Gateway answers 500. */
    public static final class TemplateFailure extends RuntimeException {
        TemplateFailure(String message) {
            super(message, null, false, false);
        }
    }
}
