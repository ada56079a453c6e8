package dev.clicklog.localaws.apigateway;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;

/**
 * Writes {@code src/test/resources/storage/v1-apigateway}: API Gateway's store as its first format
 * (codec version 1, storage format 1) wrote it, read back by {@link ApiGatewayDurabilityTest} so that
 * every later format keeps reading it. Run once per new format version, never over an existing fixture.
 */
final class ApiGatewayFixtures {

    /** The ids generated in the committed fixture. */
    static final ApiGatewayDurabilityTest.Ids IDS = new ApiGatewayDurabilityTest.Ids("e6hdhlu3bs", "n5tecql3kx",
            "360ccj", "5x6tpb", "0igdyff1nu", "auc3dz");

    private ApiGatewayFixtures() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-apigateway");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        ApiGatewayService gw = ApiGatewayDurabilityTest.open(storage);
        ApiGatewayDurabilityTest.Ids ids = ApiGatewayDurabilityTest.writeFixtureState(gw, storage);
        storage.close();
        System.out.println(ids);
    }
}
