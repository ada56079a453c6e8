package dev.clicklog.portal.observe;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A record's bytes, decoded for people: parsed JSON when the bytes are a JSON document, the text
 * when they are UTF-8 but not JSON, base64 when they are not text. Exactly one of {@code json},
 * {@code text} and {@code base64} is set, as {@code encoding} says.
 */
@Schema(description = "A record's bytes decoded: exactly one of json, text and base64 is present, as encoding says")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecodedData(
        Encoding encoding,
        @Schema(implementation = Object.class, description = "The parsed JSON document (any JSON value)") JsonNode json,
        @Schema(description = "The UTF-8 text, when it is not JSON") String text,
        @Schema(description = "The bytes in base64, when they are not UTF-8 text") String base64) {

    public enum Encoding {
        json, text, base64
    }

    public static DecodedData json(JsonNode json) {
        return new DecodedData(Encoding.json, json, null, null);
    }

    public static DecodedData text(String text) {
        return new DecodedData(Encoding.text, null, text, null);
    }

    public static DecodedData base64(String base64) {
        return new DecodedData(Encoding.base64, null, null, base64);
    }

    /** The data as a page shows it: JSON pretty-printed, text as it is, base64 as it is. */
    public String display() {
        return switch (encoding) {
            case json -> json.toPrettyString();
            case text -> text;
            case base64 -> base64;
        };
    }
}
