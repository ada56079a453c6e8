package dev.clicklog.portal.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Bytes to what a person reads: JSON parsed, text as text, anything else base64. */
class RecordDecoderTest {

    private final RecordDecoder decoder = new RecordDecoder(new ObjectMapper());

    @Test
    void aJsonDocumentIsParsed() {
        DecodedData d = decode("{\"type\":\"click\",\"n\":3,\"tags\":[\"a\"]}\n");
        assertEquals(DecodedData.Encoding.json, d.encoding());
        assertEquals("click", d.json().get("type").asText());
        assertEquals(3, d.json().get("n").asInt());
        assertNull(d.text());
        assertNull(d.base64());
    }

    @Test
    void numbersKeepTheValueAndDigitsTheyWereSentWith() throws Exception {
        DecodedData d = decode("{\"huge\":1e400,\"price\":1.50,\"big\":123456789012345678901234567890,\"n\":7}");
        assertEquals(new BigDecimal("1e400"), d.json().get("huge").decimalValue(), "not Infinity");
        assertEquals("1.50", d.json().get("price").decimalValue().toString(), "the trailing zero stays");
        assertEquals(new BigInteger("123456789012345678901234567890"), d.json().get("big").bigIntegerValue());
        assertEquals(7, d.json().get("n").intValue());
        String display = d.display();
        assertTrue(display.contains("\"huge\" : 1E+400"), display);
        assertTrue(display.contains("\"price\" : 1.50"), display);
        assertTrue(!display.contains("Infinity"), display);
        String api = new ObjectMapper().writeValueAsString(d);
        assertTrue(api.contains("\"huge\":1E+400") && api.contains("\"price\":1.50"), api);
    }

    @Test
    void textThatIsNotOneJsonDocumentStaysText() {
        for (String text : new String[] { "hello, clicks", "{\"a\":1} trailing", "{\"a\":", "", "   ", "héllo ✓",
                "{\"a\":1,\"a\":2}" }) {
            DecodedData d = decode(text);
            assertEquals(DecodedData.Encoding.text, d.encoding(), text);
            assertEquals(text, d.text());
        }
    }

    @Test
    void bytesThatAreNotUtf8AreBase64() {
        byte[] bytes = { (byte) 0xff, (byte) 0xfe, 0x00, 0x41, (byte) 0xc3 };
        DecodedData d = decoder.decode(bytes);
        assertEquals(DecodedData.Encoding.base64, d.encoding());
        assertEquals(Base64.getEncoder().encodeToString(bytes), d.base64());
    }

    @Test
    void aSliceIsDecodedOnItsOwn() {
        byte[] bytes = "xx{\"a\":1}yy".getBytes(StandardCharsets.UTF_8);
        DecodedData d = decoder.decode(bytes, 2, 7);
        assertEquals(1, d.json().get("a").asInt());
        byte[] mixed = { 'o', 'k', (byte) 0xff };
        assertEquals("ok", decoder.decode(mixed, 0, 2).text());
        assertEquals("/w==", decoder.decode(mixed, 2, 1).base64());
    }

    private DecodedData decode(String text) {
        return decoder.decode(text.getBytes(StandardCharsets.UTF_8));
    }
}
