package dev.clicklog.portal.observe;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import dev.clicklog.portal.adapter.AwsException;
import dev.clicklog.portal.adapter.ObjectLinks;
import dev.clicklog.portal.adapter.ObjectReader;
import dev.clicklog.portal.pipeline.PipelineResources;

/**
 * The objects Firehose wrote for a pipeline: listed folder by folder under the pipeline's prefix,
 * previewed record by record from the first bytes of an object, downloaded through a presigned
 * link. Nothing outside the pipeline's own prefix can be listed, read or linked to.
 */
@ApplicationScoped
public class ObjectBrowser {

    public static final int DEFAULT_LIMIT = 100;
    /** ListObjectsV2's own maximum page. */
    public static final int MAX_LIMIT = 1000;
    private static final String DELIMITER = "/";
    private static final int MAX_KEY_LENGTH = 1024;

    private final ObjectReader s3;
    private final ReadyPipelines pipelines;
    private final RecordDecoder decoder;
    private final ObserveConfig.Preview config;
    private final ObjectLinks links;
    private final ObserveConfig.Download download;

    ObjectBrowser(ObjectReader s3, ReadyPipelines pipelines, RecordDecoder decoder, ObserveConfig config, ObjectLinks links) {
        this.s3 = s3;
        this.pipelines = pipelines;
        this.decoder = decoder;
        this.config = config.preview();
        this.links = links;
        this.download = config.download();
    }

    /**
     * One page of the folder {@code prefix} (relative to the pipeline's prefix; empty for its top):
     * sub-folders and objects, in S3's key order.
     */
    public FolderPage list(String pipeline, String prefix, String continuationToken, int limit) {
        String folder = prefix == null ? "" : prefix;
        if (folder.startsWith(DELIMITER)) {
            throw ObserveException.invalid("prefix", "is relative to the pipeline's prefix and must not start with /");
        }
        if (dotSegment(folder)) {
            throw ObserveException.invalid("prefix", "must not contain '.' or '..' folders");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ObserveException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        String s3Token = continuationToken == null || continuationToken.isEmpty() ? null
                : ListingToken.decode(continuationToken, folder);
        PipelineResources r = pipelines.withObjects(pipeline).resources();
        String root = r.prefix() == null ? "" : r.prefix();
        String listed = root + folder;
        if (listed.length() > MAX_KEY_LENGTH) {
            throw ObserveException.invalid("prefix", "must keep keys within " + MAX_KEY_LENGTH + " characters");
        }
        ObjectReader.Folder page;
        try {
            page = s3.list(r.bucket(), listed, DELIMITER, limit, s3Token);
        } catch (AwsException e) {
            if (s3Token != null && "InvalidArgument".equals(e.failure().code())) {
                throw ListingToken.malformed();
            }
            throw ObserveException.upstream("S3 ListObjectsV2 on " + r.bucket() + "/" + listed, e);
        }
        List<FolderPage.Folder> folders = page.prefixes().stream()
                .map(p -> p.substring(root.length()))
                .map(p -> new FolderPage.Folder(p, p.substring(folder.length(), p.length() - DELIMITER.length())))
                .toList();
        List<FolderPage.StoredObject> objects = page.objects().stream()
                .filter(o -> !o.key().equals(listed)) // a folder's own marker object
                .map(o -> new FolderPage.StoredObject(o.key(), o.key().substring(listed.length()), o.size(),
                        o.lastModified()))
                .toList();
        String next = page.nextToken() != null ? ListingToken.encode(folder, page.nextToken()) : null;
        return new FolderPage(r.bucket(), root, folder, folders, objects, next);
    }

    /**
     * The records (lines) at the start of the object {@code key} — a full key, under the pipeline's
     * prefix — gunzipped when the object is gzip-compressed, each decoded.
     */
    public ObjectPreview preview(String pipeline, String key) {
        PipelineResources r = ownObject(pipeline, key);
        Fetched fetched = fetch(r.bucket(), key);
        byte[] content = fetched.bytes();
        boolean compressed = gzip(content);
        boolean cut = fetched.bytes().length < fetched.size();
        Expanded expanded = compressed ? gunzip(content) : null;
        if (expanded != null) {
            content = expanded.bytes();
            cut |= expanded.cut();
        }
        List<ObjectPreview.Line> lines = new ArrayList<>();
        int from = 0;
        while (from < content.length && lines.size() < config.maxRecords()) {
            int newline = indexOf(content, (byte) '\n', from);
            boolean last = newline < 0;
            int to = last ? content.length : newline;
            int length = to > from && content[to - 1] == '\r' ? to - from - 1 : to - from;
            lines.add(new ObjectPreview.Line(lines.size() + 1, length, last && cut,
                    decoder.decode(content, from, length)));
            from = last ? content.length : newline + 1;
        }
        cut |= from < content.length;
        return new ObjectPreview(r.bucket(), key, fetched.size(), fetched.lastModified(), expanded != null,
                fetched.bytes().length, cut, lines);
    }

    /**
     * A presigned link that downloads the object {@code key} — a full key under the pipeline's
     * prefix, the same keys a preview may read — saved under the last part of its key.
     */
    public ObjectDownload download(String pipeline, String key) {
        PipelineResources r = ownObject(pipeline, key);
        try {
            s3.size(r.bucket(), key);
        } catch (AwsException e) {
            if (e.notFound()) {
                throw ObserveException.notFound("no object '" + key + "' in bucket " + r.bucket());
            }
            throw ObserveException.upstream("S3 HeadObject on " + r.bucket() + "/" + key, e);
        }
        ObjectLinks.Link link;
        try {
            link = links.download(r.bucket(), key, key.substring(key.lastIndexOf('/') + 1), download.linkValidity());
        } catch (AwsException e) {
            throw ObserveException.upstream("Presigning a GET of " + r.bucket() + "/" + key, e);
        }
        return new ObjectDownload(r.bucket(), key, "s3://" + r.bucket() + "/" + key, link.url(), link.expiresAt());
    }

    /** The pipeline's resources, once {@code key} is known to name one of its own objects. */
    private PipelineResources ownObject(String pipeline, String key) {
        if (key == null || key.isEmpty()) {
            throw ObserveException.invalid("key", "is required: the full key of an object under the pipeline's prefix");
        }
        PipelineResources r = pipelines.withObjects(pipeline).resources();
        String root = r.prefix() == null ? "" : r.prefix();
        if (dotSegment(key)) {
            throw ObserveException.forbidden("key '" + key + "' must not contain '.' or '..' segments");
        }
        if (!key.startsWith(root)) {
            throw ObserveException.forbidden("key '" + key + "' is outside the pipeline's prefix '" + root + "'");
        }
        return r;
    }

    /** The first bytes of an object, its full size and last change. */
    private record Fetched(byte[] bytes, long size, Instant lastModified) {
    }

    /** Bytes expanded from gzip; {@code cut} when the compressed bytes ended early or the expansion hit its cap. */
    private record Expanded(byte[] bytes, boolean cut) {
    }

    private Fetched fetch(String bucket, String key) {
        try {
            ObjectReader.Head head = s3.head(bucket, key, config.maxBytes());
            return new Fetched(head.bytes(), head.size(), head.lastModified());
        } catch (UncheckedIOException e) {
            throw ObserveException.upstream(e.getMessage(), e);
        } catch (AwsException e) {
            if (e.notFound()) {
                throw ObserveException.notFound("no object '" + key + "' in bucket " + bucket);
            }
            throw ObserveException.upstream("S3 GetObject on " + bucket + "/" + key, e);
        }
    }

    private static boolean gzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /**
     * Gunzips as much as the bytes hold, up to the expansion cap; null when they only looked like
     * gzip (a bad header), so they are shown as they are.
     */
    private Expanded gunzip(byte[] compressed) {
        int cap = config.maxExpandedBytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > cap) {
                    return new Expanded(Arrays.copyOf(out.toByteArray(), cap), true);
                }
            }
            return new Expanded(out.toByteArray(), false);
        } catch (IOException e) {
            // Typically the range ended inside the compressed stream (EOF): what expanded so far is good.
            return out.size() == 0 && !(e instanceof EOFException) ? null : new Expanded(out.toByteArray(), true);
        }
    }

    private static boolean dotSegment(String path) {
        return Arrays.stream(path.split(DELIMITER, -1)).anyMatch(s -> s.equals(".") || s.equals(".."));
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
