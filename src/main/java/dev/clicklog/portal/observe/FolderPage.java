package dev.clicklog.portal.observe;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of a pipeline's S3 objects, folder by folder: the sub-folders and the objects directly
 * under {@code prefix} (relative to the pipeline's own prefix {@code root}).
 */
@Schema(description = "A page of the pipeline's S3 objects under prefix: its folders and objects")
public record FolderPage(
        String bucket,
        @Schema(description = "The pipeline's prefix in the bucket; every key starts with it", examples = "clicks/")
        String root,
        @Schema(description = "The folder listed, relative to root", examples = "year=2025/")
        String prefix,
        List<Folder> folders,
        List<StoredObject> objects,
        @Schema(nullable = true, description = "Pass as continuationToken for the next page; null on the last page")
        String nextContinuationToken) {

    /** A folder: pass {@code prefix} back to list it. */
    @Schema(name = "ObjectFolder", description = "A sub-folder: pass prefix back to list it")
    public record Folder(
            @Schema(description = "Relative to the pipeline's prefix", examples = "year=2025/month=01/") String prefix,
            @Schema(examples = "month=01") String name) {
    }

    /** An object: its full key (for the preview), its name in the folder, size and last change. */
    @Schema(name = "StoredObject", description = "An object: its full key (for the preview), name in the folder, size")
    public record StoredObject(String key, String name, long size, Instant lastModified) {
    }
}
