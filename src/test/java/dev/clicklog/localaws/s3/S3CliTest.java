package dev.clicklog.localaws.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.clicklog.endpoint.LocalEndpoint;
import dev.clicklog.testing.AwsCli;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.s3.S3Client;

/** The AWS CLI's S3 commands against localaws: what a person copying files in and out would type. */
@QuarkusTest
class S3CliTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalEndpoint endpoint;

    @Inject
    S3Client s3;

    @TempDir
    Path dir;

    @Test
    void copyFilesUpAndDownByteForByte() throws Exception {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String bucket = S3Fixtures.bucketName("cli");
        aws.run("s3", "mb", "s3://" + bucket).assertOk();

        Path small = write("clicks.json", 150_000);
        // Above the CLI's 8 MiB threshold: multipart upload, ranged downloads.
        Path big = write("big.bin", 9 * 1024 * 1024 + 12_345);
        aws.run("s3", "cp", small.toString(), "s3://" + bucket + "/2026/11/clicks.json").assertOk();
        aws.run("s3", "cp", big.toString(), "s3://" + bucket + "/2026/11/big.bin").assertOk();

        Path down = dir.resolve("down");
        Files.createDirectories(down);
        aws.run("s3", "cp", "s3://" + bucket + "/2026/11/clicks.json", down.resolve("clicks.json").toString()).assertOk();
        aws.run("s3", "cp", "s3://" + bucket + "/2026/11/big.bin", down.resolve("big.bin").toString()).assertOk();
        assertArrayEquals(Files.readAllBytes(small), Files.readAllBytes(down.resolve("clicks.json")));
        assertArrayEquals(Files.readAllBytes(big), Files.readAllBytes(down.resolve("big.bin")));

        // The multipart object carries S3's "<md5 of part md5s>-<parts>" ETag.
        String etag = s3.headObject(r -> r.bucket(bucket).key("2026/11/big.bin")).eTag();
        assertTrue(etag.matches("\"[0-9a-f]{32}-2\""), etag);

        JsonNode listed = JSON.readTree(aws.run("s3api", "list-objects-v2", "--bucket", bucket).assertOk().stdout());
        List<String> keys = new ArrayList<>();
        listed.get("Contents").forEach(c -> keys.add(c.get("Key").asText()));
        assertEquals(List.of("2026/11/big.bin", "2026/11/clicks.json"), keys);
        assertEquals(150_000, listed.at("/Contents/1/Size").asLong());

        JsonNode v1 = JSON.readTree(aws.run("s3api", "list-objects", "--bucket", bucket, "--prefix", "2026/11/c")
                .assertOk().stdout());
        assertEquals("2026/11/clicks.json", v1.at("/Contents/0/Key").asText());
        assertEquals(1, v1.get("Contents").size());

        assertTrue(aws.run("s3", "ls").assertOk().stdout().contains(" " + bucket + "\n"));
        String top = aws.run("s3", "ls", "s3://" + bucket + "/").assertOk().stdout();
        assertTrue(top.contains("PRE 2026/"), top);
        String inner = aws.run("s3", "ls", "s3://" + bucket + "/2026/11/").assertOk().stdout();
        assertTrue(inner.contains("150000 clicks.json"), inner);

        AwsCli.Result notEmpty = aws.run("s3", "rb", "s3://" + bucket);
        assertNotEquals(0, notEmpty.exitCode());
        assertTrue(notEmpty.stderr().contains("BucketNotEmpty"), notEmpty.stderr());
        aws.run("s3", "rb", "s3://" + bucket, "--force").assertOk();
        AwsCli.Result gone = aws.run("s3api", "head-bucket", "--bucket", bucket);
        assertNotEquals(0, gone.exitCode());
    }

    @Test
    void keysWithSpecialCharactersSurviveTheCli() throws Exception {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        String bucket = S3Fixtures.bucketName("cli-keys");
        aws.run("s3", "mb", "s3://" + bucket).assertOk();
        Path file = write("f.txt", 1000);
        String key = "dir with space/a+b%c/ünïcødé 文件.txt";
        aws.run("s3", "cp", file.toString(), "s3://" + bucket + "/" + key).assertOk();
        JsonNode listed = JSON.readTree(aws.run("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "dir with space/")
                .assertOk().stdout());
        assertEquals(key, listed.at("/Contents/0/Key").asText());
        Path back = dir.resolve("back.txt");
        aws.run("s3", "cp", "s3://" + bucket + "/" + key, back.toString()).assertOk();
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(back));
    }

    @Test
    void s3apiErrorsCarryS3Codes() {
        AwsCli aws = new AwsCli(endpoint.uri(), "us-east-1");
        AwsCli.Result invalid = aws.run("s3api", "create-bucket", "--bucket", "Not_A_Valid_Bucket");
        assertNotEquals(0, invalid.exitCode());
        assertTrue(invalid.stderr().contains("InvalidBucketName"), invalid.stderr());
        AwsCli.Result missing = aws.run("s3api", "get-object", "--bucket", S3Fixtures.bucketName("nope"), "--key", "k",
                dir.resolve("out").toString());
        assertTrue(missing.stderr().contains("NoSuchBucket"), missing.stderr());
    }

    private Path write(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}
