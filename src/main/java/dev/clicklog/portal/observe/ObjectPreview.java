package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The beginning of an S3 object split into its records (lines), each decoded. {@code truncated}
 * says the preview does not reach the end of the object.
 */
@Schema(description = "The first bytes of an object, gunzipped when compressed, split into decoded records (lines)")
public record ObjectPreview(
        String bucket,
        String key,
        @Schema(description = "The object's size in bytes") long size,
        Instant lastModified,
        @Schema(description = "Whether the object is gzip-compressed (and was gunzipped)") boolean compressed,
        @Schema(description = "Bytes of the object fetched") long bytesRead,
        @Schema(description = "Whether the object goes on after what is shown") boolean truncated,
        List<Line> records) {

    /** One line of the object: its number (from 1), its length and data; a last line cut short is {@code truncated}. */
    @Schema(name = "PreviewRecord", description = "A line of the object; truncated when the preview cut it short")
    public record Line(int line, int size, boolean truncated, DecodedData data) {
    }
}
