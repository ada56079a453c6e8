package dev.clicklog.portal.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

/** Turns a record's bytes (from Kinesis, or a line of an S3 object) into {@link DecodedData}. */
@ApplicationScoped
public class RecordDecoder {

    private final ObjectReader json;

    RecordDecoder(ObjectMapper mapper) {
        // One JSON document and nothing after it: "{} junk" is text, not JSON. Numbers keep the value
        // and the digits they were sent with: 1e400 is not Infinity, 1.50 not 1.5.
        this.json = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
    }

    public DecodedData decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public DecodedData decode(byte[] bytes, int offset, int length) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return DecodedData.base64(Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, offset, offset + length)));
        }
        if (!text.isBlank()) {
            try {
                return DecodedData.json(json.readTree(text));
            } catch (IOException notJson) {
                // UTF-8 that is not one JSON document: shown as text.
            }
        }
        return DecodedData.text(text);
    }
}
