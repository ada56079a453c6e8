package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.clicklog.localaws.LocalAwsConfig;
import dev.clicklog.localaws.http.Body;
import dev.clicklog.localaws.protocol.XmlReader;
import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;
import dev.clicklog.testing.DataDirs;
import dev.clicklog.testing.LocalAwsConfigs;

/**
 * S3 through its journal: buckets with every setting, objects byte for byte with their metadata
 * and checksums, and multipart uploads with their parts are back after a restart and after a kill
 * -9 (a crash copy of the data directory); an upload begun before goes on after; deleted and
 * expired objects stay deleted and their files are gone; files no change names are removed at
 * start; the committed format-1 data directory is read as it was written.
 */
class S3DurabilityTest {

    static final int PART = (int) MultipartUploads.MIN_PART_SIZE;

    @TempDir
    Path dir;

    private final List<Storage> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(Storage::close);
    }

    /** S3 reads only the account id from the configuration. */
    static LocalAwsConfig config() {
        return LocalAwsConfigs.accountOnly("000000000000");
    }

    /** S3 as the endpoint starts it: registered, the storage opened, then the start-up clean-up. */
    record Open(Storage storage, S3Service s3, MultipartUploads uploads, LifecycleSweeper sweeper) {
    }

    private Open open(Path data, Durability durability) {
        Storage storage = new Storage(Storage.Settings.of(data, durability));
        opened.add(storage);
        S3Service s3 = new S3Service(config(), storage);
        storage.ready();
        s3.removeUnreferenced();
        return new Open(storage, s3, new MultipartUploads(s3), new LifecycleSweeper(s3));
    }

    private Open open(Path data) {
        return open(data, Durability.FSYNC);
    }

    /** Closes the last storage opened, as a SIGTERM does. */
    private void stop() {
        opened.remove(opened.size() - 1).close();
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String etag(byte[] data) {
        return "\"" + HexFormat.of().formatHex(md5(data)) + "\"";
    }

    static ObjectMetadata metadata(String contentType, Map<String, String> user, String storageClass) {
        return new ObjectMetadata(contentType, "gzip", "attachment; filename=\"a.json\"", "en", "max-age=60", null,
                new TreeMap<>(user), storageClass, null);
    }

    static S3Object put(S3Service s3, String bucket, String key, byte[] data, ObjectMetadata metadata) {
        ChecksumAlgorithm.Value checksum = new ChecksumAlgorithm.Value(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32.compute(data),
                ChecksumAlgorithm.Type.FULL_OBJECT);
        return s3.putObject(s3.bucket(bucket), key, Body.of(data), etag(data), metadata, checksum, S3Service.WriteCondition.NONE);
    }

    static MultipartUpload.Part part(Open o, String bucket, MultipartUpload upload, int number, byte[] data) {
        Payload payload = new Payload(Body.of(data), md5(data), null, false);
        ChecksumAlgorithm.Value checksum = upload.checksumAlgorithm == null ? null
                : new ChecksumAlgorithm.Value(upload.checksumAlgorithm, upload.checksumAlgorithm.compute(data), upload.checksumType);
        return o.uploads().putPart(o.s3().bucket(bucket), upload, number, payload, checksum);
    }

    static List<XmlReader.Element> rules(String xml) {
        return XmlReader.parse(("<LifecycleConfiguration>" + xml + "</LifecycleConfiguration>").getBytes(StandardCharsets.UTF_8))
                .children("Rule");
    }

    static byte[] read(S3Service s3, S3Object o) {
        return s3.read(o, 0, Math.toIntExact(o.size()));
    }

    /** Everything a client can see of S3: buckets and settings, objects (bytes as digests), uploads and their parts. */
    static List<String> view(S3Service s3) {
        List<String> lines = new ArrayList<>();
        for (Bucket b : s3.buckets()) {
            lines.add("bucket " + b.name + " " + b.region + " " + b.created + " tags=" + b.tags + " " + b.publicAccessBlock + " "
                    + b.encryption + " lifecycle=" + b.lifecycleRules);
            for (S3Object o : b.objects.values()) {
                lines.add("  object " + o.key() + " " + o.size() + " " + o.etag() + " " + o.lastModified() + " " + o.metadata()
                        + " " + o.checksum() + " parts=" + o.partSizes() + " " + o.serverSideEncryption() + " md5="
                        + HexFormat.of().formatHex(md5(read(s3, o))));
            }
            for (MultipartUpload u : new TreeMap<>(b.uploads).values()) {
                lines.add("  upload " + u.id + " " + u.key + " " + u.metadata + " " + u.checksumAlgorithm + " " + u.checksumType
                        + " " + u.initiated);
                for (MultipartUpload.Part p : u.parts.values()) {
                    lines.add("    part " + p.number() + " " + p.size() + " " + p.etag() + " " + p.checksum() + " md5="
                            + HexFormat.of().formatHex(md5(readFile(p.blob()))));
                }
            }
        }
        return lines;
    }

    static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files under the data directory's s3 area, relative to it. */
    static Set<String> files(Path data) {
        Path area = data.resolve("s3");
        try (Stream<Path> walk = Files.walk(area)) {
            return walk.filter(Files::isRegularFile).map(p -> area.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files the state names, relative to the area. */
    static Set<String> referenced(S3Service s3, Path data) {
        Path area = data.resolve("s3").toAbsolutePath();
        Set<String> names = new TreeSet<>();
        for (Bucket b : s3.buckets()) {
            b.objects.values().forEach(o -> names.add(area.relativize(o.blob()).toString()));
            b.uploads.values().forEach(u -> u.parts.values().forEach(p -> names.add(area.relativize(p.blob()).toString())));
        }
        return names;
    }

    /**
     * What the test and the fixture write: buckets "clicks" (us-east-1, tags) and "archive"
     * (eu-west-1, settings changed), objects in the snapshot and after it (overwritten, copied,
     * deleted, moved to another storage class), a completed multipart object, an upload in
     * progress with two parts, a bucket deleted. Parts are {@code partSize} bytes (the fixture's
     * are small; the completed object then has one part).
     */
    static MultipartUpload writeState(Open o, int partSize) {
        S3Service s3 = o.s3();
        s3.createBucket("clicks", S3Service.US_EAST_1, Map.of("clicklog:pipeline", "clicks"));
        s3.createBucket("archive", "eu-west-1", null);
        s3.createBucket("gone", S3Service.US_EAST_1, null);
        put(s3, "clicks", "2026/12/06/a.json", "{\"click\":1}\n".getBytes(StandardCharsets.UTF_8),
                metadata("application/json", Map.of("pipeline", "clicks", "note", "ä"), "STANDARD"));
        put(s3, "clicks", "2026/12/06/b.bin", bytes(70_000, 1), metadata("application/octet-stream", Map.of(), "STANDARD_IA"));
        put(s3, "clicks", "old", bytes(10, 2), metadata("text/plain", Map.of(), "STANDARD"));
        o.storage().checkpoint();
        // After the snapshot, in the log only.
        configureArchive(s3);
        put(s3, "clicks", "2026/12/06/b.bin", bytes(80_000, 3), metadata("application/octet-stream", Map.of("v", "2"), "STANDARD"));
        s3.deleteObject("clicks", "old");
        S3Object a = s3.object("clicks", "2026/12/06/a.json");
        s3.copyObject(a, s3.bucket("archive"), "copy/a.json", a.metadata(), ChecksumAlgorithm.SHA256, S3Service.WriteCondition.NONE);
        S3Object cold = put(s3, "archive", "cold", bytes(100, 4), metadata("text/plain", Map.of(), "STANDARD"));
        s3.changeStorageClass(s3.bucket("archive"), cold, "GLACIER");
        s3.deleteBucket("gone");

        MultipartUpload done = o.uploads().create(s3.bucket("clicks"), "multi.bin",
                metadata("application/x-clicks", Map.of("parts", "2"), "STANDARD"), null, null);
        List<MultipartUploads.RequestedPart> requested = new ArrayList<>();
        requested.add(new MultipartUploads.RequestedPart(1, part(o, "clicks", done, 1, bytes(partSize, 5)).etag(), null));
        if (partSize >= MultipartUploads.MIN_PART_SIZE) {
            requested.add(new MultipartUploads.RequestedPart(2, part(o, "clicks", done, 2, bytes(1000, 6)).etag(), null));
        }
        o.uploads().complete(s3.bucket("clicks"), done, requested, S3Service.WriteCondition.NONE, null, null);

        MultipartUpload open = o.uploads().create(s3.bucket("clicks"), "in-progress.bin",
                metadata("application/x-clicks", Map.of(), "STANDARD"), ChecksumAlgorithm.CRC32, ChecksumAlgorithm.Type.COMPOSITE);
        part(o, "clicks", open, 1, bytes(partSize, 7));
        part(o, "clicks", open, 2, bytes(partSize, 9));
        // Part 2 sent again: the first one's file goes.
        part(o, "clicks", open, 2, bytes(partSize, 8));
        return open;
    }

    /** Settings of bucket "archive", each through the service as the handlers change them. */
    static void configureArchive(S3Service s3) {
        Bucket b = s3.bucket("archive");
        s3.configure(b, s -> s.withTags(Map.of("team", "web", "cost", "42")));
        s3.configure(b, s -> s.withPublicAccessBlock(new Bucket.PublicAccessBlock(true, false, true, false)));
        s3.configure(b, s -> s.withEncryption(new Bucket.Encryption("aws:kms", "alias/clicks", true)));
        s3.configure(b, s -> s.withLifecycleRules(rules("<Rule><ID>expire-tmp</ID><Filter><Prefix>tmp/</Prefix></Filter>"
                + "<Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")));
    }

    @Test
    void aBucketMadeAgainAtOnceUnderTheNameOfOneBeingDeletedKeepsItsObjects() throws Exception {
        S3Service s3 = open(dir.resolve("data")).s3();
        ObjectMetadata plain = metadata("application/octet-stream", Map.of(), null);
        ExecutorService deleter = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 100; round++) {
                s3.createBucket("again", "eu-west-1", null);
                // The old bucket has a directory of files, as any bucket that held objects has.
                put(s3, "again", "old", bytes(100, round), plain);
                s3.deleteObject("again", "old");
                Future<?> deleted = deleter.submit(() -> s3.deleteBucket("again"));
                // Made again the moment the name is free (outside us-east-1 a bucket that still exists is refused).
                while (true) {
                    try {
                        s3.createBucket("again", "eu-west-1", null);
                        break;
                    } catch (S3Exception e) {
                        Thread.onSpinWait();
                    }
                }
                byte[] data = bytes(4096, round);
                put(s3, "again", "new", data, plain);
                deleted.get(30, TimeUnit.SECONDS);
                assertArrayEquals(data, s3.read(s3.object("again", "new"), 0, data.length), "round " + round);
                s3.deleteObject("again", "new");
                s3.deleteBucket("again");
            }
        } finally {
            deleter.shutdownNow();
        }
    }

    @Test
    void bucketsObjectsAndUploadsComeBackExactlyAfterAStopAndAfterACrash() {
        Path data = dir.resolve("data");
        Open o = open(data);
        writeState(o, PART);
        List<String> before = view(o.s3());
        assertEquals(2, before.stream().filter(l -> l.startsWith("bucket")).count(), String.join("\n", before));
        assertEquals(5, before.stream().filter(l -> l.startsWith("  object")).count(), String.join("\n", before));
        // Overwritten, deleted and replaced parts' files went with their change, not at the next start.
        assertEquals(referenced(o.s3(), data), files(data));
        o.storage().awaitDurable();
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));
        byte[] multi = read(o.s3(), o.s3().object("clicks", "multi.bin"));
        stop();

        for (Path restarted : List.of(data, crashed)) {
            Open again = open(restarted);
            assertEquals(before, view(again.s3()), restarted.toString());
            assertEquals(referenced(again.s3(), restarted), files(restarted), "every file is named by the state, and only those");
            assertThrows(S3Exception.class, () -> again.s3().object("clicks", "old"));
            assertThrows(S3Exception.class, () -> again.s3().bucket("gone"));
            assertFalse(Files.exists(restarted.resolve("s3/gone")));
            assertArrayEquals(multi, read(again.s3(), again.s3().object("clicks", "multi.bin")));
            assertArrayEquals(Arrays.copyOf(bytes(80_000, 3), 80_000), read(again.s3(), again.s3().object("clicks", "2026/12/06/b.bin")));
            stop();
        }
    }

    @Test
    void anUploadBegunBeforeTheRestartGoesOnAndCompletes() {
        Path data = dir.resolve("data");
        Open o = open(data);
        MultipartUpload open = writeState(o, PART);
        String id = open.id;
        o.storage().awaitDurable();
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));
        stop();

        Open again = open(crashed);
        MultipartUpload upload = again.uploads().upload(again.s3().bucket("clicks"), id, "in-progress.bin");
        assertEquals(List.of(1, 2), List.copyOf(upload.parts.keySet()));
        MultipartUpload.Part p3 = part(again, "clicks", upload, 3, bytes(500, 10));
        List<MultipartUploads.RequestedPart> requested = new ArrayList<>();
        for (MultipartUpload.Part p : upload.parts.values()) {
            requested.add(new MultipartUploads.RequestedPart(p.number(), p.etag(), p.checksum().base64()));
        }
        assertEquals(p3.etag(), requested.get(2).etag());
        S3Object done = again.uploads().complete(again.s3().bucket("clicks"), upload, requested, S3Service.WriteCondition.NONE,
                null, null);
        byte[] expected = new byte[2 * PART + 500];
        System.arraycopy(bytes(PART, 7), 0, expected, 0, PART);
        System.arraycopy(bytes(PART, 8), 0, expected, PART, PART);
        System.arraycopy(bytes(500, 10), 0, expected, 2 * PART, 500);
        assertArrayEquals(expected, read(again.s3(), done));
        assertEquals(List.of((long) PART, (long) PART, 500L), done.partSizes());
        assertTrue(done.etag().endsWith("-3\""));
        assertFalse(Files.exists(upload.dir), "the parts' files go with the completed upload");
        List<String> after = view(again.s3());
        again.storage().awaitDurable();
        Path crashedAgain = DataDirs.crashCopy(crashed, dir.resolve("crashed-again"));
        stop();

        Open third = open(crashedAgain);
        assertEquals(after, view(third.s3()));
        assertThrows(S3Exception.class, () -> third.uploads().upload(third.s3().bucket("clicks"), id, "in-progress.bin"));
        // A retried completion after the restart gets the same object, as S3 answers a repeat.
        S3Object repeated = third.uploads().completed(third.s3().bucket("clicks"), id, "in-progress.bin", requested);
        assertEquals(done.etag(), repeated.etag());
        assertEquals(done.checksum(), repeated.checksum());
        assertEquals(done.lastModified(), repeated.lastModified());
        assertEquals(referenced(third.s3(), crashedAgain), files(crashedAgain));
    }

    @Test
    void deletedObjectsAbortedUploadsAndLifecycleExpiriesStayDeletedWithTheirFilesGone() {
        Path data = dir.resolve("data");
        Open o = open(data);
        S3Service s3 = o.s3();
        s3.createBucket("logs", S3Service.US_EAST_1, null);
        s3.configure(s3.bucket("logs"), s -> s.withLifecycleRules(rules("<Rule><ID>tmp</ID><Filter><Prefix>tmp/</Prefix>"
                + "</Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")));
        S3Object kept = put(s3, "logs", "keep/1", bytes(100, 1), metadata("text/plain", Map.of(), "STANDARD"));
        S3Object expiring = put(s3, "logs", "tmp/1", bytes(100, 2), metadata("text/plain", Map.of(), "STANDARD"));
        S3Object deleted = put(s3, "logs", "keep/2", bytes(100, 3), metadata("text/plain", Map.of(), "STANDARD"));
        MultipartUpload aborted = o.uploads().create(s3.bucket("logs"), "big", metadata("text/plain", Map.of(), "STANDARD"),
                null, null);
        part(o, "logs", aborted, 1, bytes(1000, 4));
        o.storage().checkpoint();
        s3.deleteObject("logs", "keep/2");
        o.uploads().abort(s3.bucket("logs"), aborted);
        o.sweeper().sweep(Instant.now().plus(3, ChronoUnit.DAYS));
        assertThrows(S3Exception.class, () -> s3.object("logs", "tmp/1"));
        o.storage().awaitDurable();
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));
        stop();

        for (Path restarted : List.of(data, crashed)) {
            Open again = open(restarted);
            Bucket logs = again.s3().bucket("logs");
            assertEquals(List.of("keep/1"), List.copyOf(logs.objects.keySet()));
            assertTrue(logs.uploads.isEmpty());
            assertArrayEquals(bytes(100, 1), read(again.s3(), again.s3().object("logs", "keep/1")));
            assertEquals(Set.of("logs/" + kept.blob().getFileName()), files(restarted));
            stop();
        }
        assertFalse(Files.exists(expiring.blob()));
        assertFalse(Files.exists(deleted.blob()));
        assertFalse(Files.exists(aborted.dir));
    }

    @Test
    void filesNoChangeNamesAreRemovedAtStartAndReferencedOnesKept() throws IOException {
        Path data = dir.resolve("data");
        Open o = open(data);
        writeState(o, PART);
        List<String> before = view(o.s3());
        o.storage().awaitDurable();
        Path crashed = DataDirs.crashCopy(data, dir.resolve("crashed"));
        stop();
        // What a crash between writing a body and recording it leaves: files in a bucket, in an
        // upload, an upload's directory no upload has, a temporary file, a bucket directory of no bucket.
        Path area = crashed.resolve("s3");
        Files.write(area.resolve("clicks/0123456789abcdef01234567-orphan"), bytes(100, 11));
        Files.write(area.resolve("clicks/.tmp-123"), bytes(100, 12));
        Path upload = Files.list(area.resolve("clicks/.uploads")).findFirst().orElseThrow();
        Files.write(upload.resolve("3-orphan"), bytes(100, 13));
        Files.createDirectories(area.resolve("clicks/.uploads/feedface"));
        Files.write(area.resolve("clicks/.uploads/feedface/1-x"), bytes(100, 14));
        Files.createDirectories(area.resolve("no-such-bucket"));
        Files.write(area.resolve("no-such-bucket/x"), bytes(100, 15));

        Open again = open(crashed);
        assertEquals(before, view(again.s3()));
        assertEquals(referenced(again.s3(), crashed), files(crashed));
        assertFalse(Files.exists(area.resolve("clicks/.uploads/feedface")));
        assertFalse(Files.exists(area.resolve("no-such-bucket")));
        assertTrue(Files.exists(upload));
    }

    @Test
    void durabilityMemoryKeepsNothing() {
        Path data = dir.resolve("data");
        Open o = open(data, Durability.MEMORY);
        writeState(o, PART);
        assertEquals(2, o.s3().buckets().size());
        assertNotNull(o.s3().object("clicks", "multi.bin"));
        stop();
        Open again = open(data, Durability.MEMORY);
        assertEquals(List.of(), again.s3().buckets());
        assertFalse(Files.exists(data.resolve("wal")));
    }

    @Test
    void readsTheCommittedVersion1Fixture() {
        Path data = DataDirs.crashCopy(Path.of("src/test/resources/storage/v1-s3"), dir.resolve("v1"));
        Open o = open(data);
        S3Service s3 = o.s3();
        assertEquals(List.of("archive", "clicks"), s3.buckets().stream().map(b -> b.name).toList());
        Bucket archive = s3.bucket("archive");
        assertEquals("eu-west-1", archive.region);
        assertEquals(S3StoreFixtures.ARCHIVE_CREATED, archive.created.toString());
        assertEquals(Map.of("team", "web", "cost", "42"), archive.tags);
        assertEquals(new Bucket.PublicAccessBlock(true, false, true, false), archive.publicAccessBlock);
        assertEquals(new Bucket.Encryption("aws:kms", "alias/clicks", true), archive.encryption);
        assertEquals("expire-tmp", LifecycleRule.enabled(archive.lifecycleRules).get(0).id());
        assertEquals(Map.of("clicklog:pipeline", "clicks"), s3.bucket("clicks").tags);

        S3Object a = s3.object("clicks", "2026/12/06/a.json");
        assertArrayEquals("{\"click\":1}\n".getBytes(StandardCharsets.UTF_8), read(s3, a));
        assertEquals("application/json", a.metadata().contentType());
        assertEquals(Map.of("pipeline", "clicks", "note", "ä"), a.metadata().userMetadata());
        assertEquals(ChecksumAlgorithm.CRC32, a.checksum().algorithm());
        assertEquals("AES256", a.serverSideEncryption());
        S3Object b = s3.object("clicks", "2026/12/06/b.bin");
        assertArrayEquals(bytes(80_000, 3), read(s3, b));
        assertEquals(Map.of("v", "2"), b.metadata().userMetadata());
        assertEquals("GLACIER", s3.object("archive", "cold").metadata().storageClass());
        assertEquals(ChecksumAlgorithm.SHA256, s3.object("archive", "copy/a.json").checksum().algorithm());
        assertThrows(S3Exception.class, () -> s3.object("clicks", "old"));
        S3Object multi = s3.object("clicks", "multi.bin");
        assertEquals(List.of((long) S3StoreFixtures.PART), multi.partSizes());
        assertArrayEquals(bytes(S3StoreFixtures.PART, 5), read(s3, multi));
        MultipartUpload upload = s3.bucket("clicks").uploads.values().iterator().next();
        assertEquals("in-progress.bin", upload.key);
        assertEquals(ChecksumAlgorithm.CRC32, upload.checksumAlgorithm);
        assertArrayEquals(bytes(S3StoreFixtures.PART, 8), readFile(upload.parts.get(2).blob()));
        assertEquals(referenced(s3, data), files(data));
    }
}
