import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Puts the training start's class-data-sharing archive into the image Jib wrote, run by the build after
 * {@code CdsTraining} ({@code java src/build/ImageArchive.java <image tarball> <app dir>}).
 *
 * <p>Jib builds the image while Quarkus packages, so it packs Quarkus' own archive (the classes loaded until
 * the beans are built), in a layer of its own: {@code <working dir>/app-cds.jsa}. The training start runs
 * after that and writes {@code <app dir>/app-cds.jsa}, which covers a whole start. This replaces that one
 * layer of the tarball ({@code docker save} layout) with one holding the trained archive, the same entries
 * with the same owner, mode and time, and updates the manifest and the image config to its digests. The
 * other layers are untouched: the jars keep the modification times the archive was checked against.
 *
 * <p>Nothing to do when the build wrote no image, or when no training start ran after it.
 */
public class ImageArchive {

    private static final String ARCHIVE = "app-cds.jsa";
    private static final int BLOCK = 512;

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java ImageArchive.java <image tarball> <app dir>");
            System.exit(2);
        }
        Path tarball = Path.of(args[0]).toAbsolutePath();
        Path app = Path.of(args[1]).toAbsolutePath();
        Path trained = app.resolve(ARCHIVE);
        if (!Files.isRegularFile(tarball) || !Files.isRegularFile(trained)) {
            return; // no image built, or no archive at all
        }
        FileTime image = Files.getLastModifiedTime(tarball);
        if (image.compareTo(Files.getLastModifiedTime(app.resolve("quarkus-run.jar"))) < 0) {
            System.out.println("[image] " + tarball.getFileName() + " is older than this package: left alone");
            return;
        }
        if (Files.getLastModifiedTime(trained).compareTo(image) <= 0) {
            System.out.println("[image] no training start after the image was built: it keeps Quarkus' archive");
            return;
        }
        Path scratch = Files.createTempDirectory(tarball.getParent(), "image-archive-");
        try {
            replaceArchiveLayer(tarball, trained, scratch);
        } finally {
            deleteTree(scratch);
        }
    }

    private static void replaceArchiveLayer(Path tarball, Path trained, Path scratch) throws Exception {
        run(scratch, "tar", "-xf", tarball.toString(), "-C", scratch.toString());
        Path manifestFile = scratch.resolve("manifest.json");
        String manifest = Files.readString(manifestFile);
        String configName = field(manifest, "Config");
        Path configFile = scratch.resolve(configName);
        String config = Files.readString(configFile);

        Path oldLayer = null;
        String archiveEntry = null;
        try (Stream<Path> files = Files.list(scratch)) {
            for (Path layer : files.filter(f -> f.getFileName().toString().endsWith(".tar.gz")).sorted().toList()) {
                for (String entry : run(scratch, "tar", "-tzf", layer.toString()).split("\n")) {
                    if (entry.equals(ARCHIVE) || entry.endsWith("/" + ARCHIVE)) {
                        if (oldLayer != null) {
                            throw new IllegalStateException("two layers hold " + ARCHIVE + ": " + oldLayer + ", " + layer);
                        }
                        oldLayer = layer;
                        archiveEntry = entry;
                    }
                }
            }
        }
        if (oldLayer == null) {
            throw new IllegalStateException("no layer of " + tarball + " holds " + ARCHIVE);
        }
        String oldDigest = oldLayer.getFileName().toString().replace(".tar.gz", "");
        // The config lists the layers' diff ids in the manifest's order of the layers.
        int index = strings(manifest, "Layers").indexOf(oldLayer.getFileName().toString());
        List<String> diffIds = strings(config, "diff_ids");
        if (index < 0 || index >= diffIds.size()) {
            throw new IllegalStateException("the manifest or the config does not name the layer " + oldDigest);
        }
        String oldDiffId = diffIds.get(index);

        // The layer Jib writes: the working directory, then the archive in it; root's, at the epoch.
        Path layerTar = scratch.resolve("layer.tar.gz");
        MessageDigest uncompressed = sha256();
        MessageDigest compressed = sha256();
        try (OutputStream file = new DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(layerTar)), compressed);
                OutputStream tar = new DigestOutputStream(new GZIPOutputStream(file, 1 << 16), uncompressed)) {
            String dir = archiveEntry.substring(0, archiveEntry.length() - ARCHIVE.length());
            if (!dir.isEmpty()) {
                header(tar, dir, '5', 0755, 0);
            }
            header(tar, archiveEntry, '0', 0644, Files.size(trained));
            try (InputStream in = Files.newInputStream(trained)) {
                long copied = in.transferTo(tar);
                pad(tar, copied);
            }
            tar.write(new byte[2 * BLOCK]); // the end of the archive
        }
        String newDigest = HexFormat.of().formatHex(compressed.digest());
        String newDiffId = "sha256:" + HexFormat.of().formatHex(uncompressed.digest());
        Files.delete(oldLayer);
        Files.move(layerTar, scratch.resolve(newDigest + ".tar.gz"));
        Files.writeString(manifestFile, manifest.replace(oldDigest, newDigest));
        Files.writeString(configFile, config.replace(oldDiffId, newDiffId));

        List<String> command = new ArrayList<>(List.of("tar", "-cf", tarball + ".part", "-C", scratch.toString()));
        try (Stream<Path> files = Files.list(scratch)) {
            files.map(f -> f.getFileName().toString()).sorted().forEach(command::add);
        }
        run(scratch, command.toArray(String[]::new));
        Files.move(Path.of(tarball + ".part"), tarball, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("[image] %s: %s replaced by the trained archive (%d MiB), layer %s%n", tarball.getFileName(),
                archiveEntry, Files.size(trained) >> 20, newDigest.substring(0, 12));
    }

    /** A ustar header block; names here are short (a layer path under the working directory). */
    private static void header(OutputStream out, String name, char type, int mode, long size) throws IOException {
        byte[] block = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalStateException("entry name longer than a ustar name: " + name);
        }
        System.arraycopy(nameBytes, 0, block, 0, nameBytes.length);
        octal(block, 100, 8, mode);
        octal(block, 108, 8, 0); // uid
        octal(block, 116, 8, 0); // gid
        octal(block, 124, 12, size);
        octal(block, 136, 12, 0); // modification time: the epoch, as Jib writes it
        block[156] = (byte) type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 8);
        for (int i = 148; i < 156; i++) {
            block[i] = ' ';
        }
        long checksum = 0;
        for (byte b : block) {
            checksum += b & 0xff;
        }
        octal(block, 148, 7, checksum);
        out.write(block);
    }

    private static void octal(byte[] block, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalStateException("value too large for a ustar field: " + value);
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
        block[offset + length - 1] = 0;
    }

    private static void pad(OutputStream out, long written) throws IOException {
        int rest = (int) (written % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    /** The string value of a top-level field of a small JSON document such as the manifest. */
    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no \"" + name + "\" in " + json);
        }
        return matcher.group(1);
    }

    /** The strings of an array field, such as the manifest's layers or the config's diff ids, in order. */
    private static List<String> strings(String json, String name) {
        Matcher array = Pattern.compile("\"" + name + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        if (!array.find()) {
            throw new IllegalStateException("no \"" + name + "\" in " + json);
        }
        List<String> values = new ArrayList<>();
        Matcher value = Pattern.compile("\"([^\"]+)\"").matcher(array.group(1));
        while (value.find()) {
            values.add(value.group(1));
        }
        return values;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(dir.getParent(), "image-archive-", ".out");
        try {
            // tar's warnings (such as extension headers it skips) go with the listing, which only names are taken from
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " ran longer than 10 minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                        + Files.readString(output));
            }
            return Files.readString(output);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
