package dev.clicklog.localaws.apigateway;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;

import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.runtime.RuntimeInstance;

/**
 * Compiles API Gateway mapping templates (Velocity Template Language) once, at deployment, so
 * that requests only render them. Like API Gateway, a reference to nothing renders as an empty
 * string and a #foreach stops after 1,000 iterations.
 */
final class MappingTemplates {

    private final RuntimeInstance velocity = new RuntimeInstance();

    MappingTemplates() {
        Properties p = new Properties();
        p.setProperty("directive.foreach.max_loops", "1000");
        p.setProperty("runtime.log.log_invalid_references", "false");
        p.setProperty("runtime.strict_mode.enable", "false");
        velocity.init(p);
        ReferenceInsertionEventHandler nullAsEmpty = (context, reference, value) -> value == null ? "" : value;
        velocity.getApplicationEventCartridge().addReferenceInsertionEventHandler(nullAsEmpty);
    }

    /** A template ready to render; a syntax error is kept and reported when the template is used, as on AWS. */
    MappingTemplate compile(String name, String text) {
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
    static final class MappingTemplate {

        private final Template template;
        private final String error;

        private MappingTemplate(Template template, String error) {
            this.template = template;
            this.error = error;
        }

        /** Renders with API Gateway's variables; a template that fails is a {@link TemplateFailure}. */
        String render(TemplateInput input, TemplateContext context, Map<String, String> stageVariables) {
            if (template == null) {
                throw new TemplateFailure(error);
            }
            VelocityContext vars = new VelocityContext();
            vars.put("input", input);
            vars.put("util", TemplateUtil.INSTANCE);
            vars.put("context", context);
            vars.put("stageVariables", stageVariables);
            StringWriter out = new StringWriter(256);
            try {
                template.merge(vars, out);
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

    /** A template that does not parse or fails while rendering: API Gateway answers 500. */
    static final class TemplateFailure extends RuntimeException {
        TemplateFailure(String message) {
            super(message, null, false, false);
        }
    }
}
