package dev.clicklog.localaws.iam;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.clicklog.localaws.storage.Durability;
import dev.clicklog.localaws.storage.Storage;

/**
 * Writes {@code src/test/resources/storage/v1-iam}: IAM's store as its first format (codec version
 * 1, storage format 1) wrote it, read back by {@link IamDurabilityTest} so that every later format
 * keeps reading it. Run once per new format version, never over an existing fixture.
 */
final class IamFixtures {

    /** The generated id and creation date of role Delivery in the committed fixture. */
    static final String DELIVERY_ID = "AROAODSPZY4MICCT23ZXV";
    static final String DELIVERY_CREATED = "2026-12-06T08:52:57Z";

    private IamFixtures() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args.length > 0 ? args[0] : "src/test/resources/storage/v1-iam");
        if (Files.exists(target)) {
            throw new IllegalStateException(target + " exists: fixtures of a released format are never rewritten");
        }
        Storage storage = new Storage(Storage.Settings.of(target, Durability.FSYNC));
        IamService iam = new IamService(IamDurabilityTest.config(), storage);
        storage.ready();
        IamDurabilityTest.writeFixtureState(iam, storage);
        Role delivery = iam.getRole("Delivery");
        storage.close();
        System.out.println("DELIVERY_ID = " + delivery.id() + ", DELIVERY_CREATED = " + delivery.createDate());
    }
}
