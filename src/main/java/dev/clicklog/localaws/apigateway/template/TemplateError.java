package dev.clicklog.localaws.apigateway.template;

import dev.clicklog.localaws.protocol.JsonProtocol;

/** {@code $context.error} of a gateway response template: the message, as text and as a JSON string, and its type. */
public final class TemplateError {

    static final TemplateError NONE = new TemplateError(null, null);

    private final String message;
    private final String responseType;

    public TemplateError(String message, String responseType) {
        this.message = message;
        this.responseType = responseType;
    }

    public String getMessage() {
        return message;
    }

    /** The message as a quoted JSON string, ready to be a value in a JSON body. */
    public String getMessageString() {
        return message == null ? null : JsonProtocol.NODES.textNode(message).toString();
    }

    public String getResponseType() {
        return responseType;
    }
}
