package dev.clicklog.localaws.storage;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.clicklog.localaws.LocalAwsConfig;

/**
 * The one {@link Storage} of the application, from {@code clicklog.localaws.*}. It opens nothing
 * until the endpoint starts (local mode): in aws mode no file is touched.
 */
public class StorageProducer {

    @Produces
    @Singleton
    Storage storage(LocalAwsConfig config) {
        LocalAwsConfig.StorageSettings s = config.storage();
        return new Storage(new Storage.Settings(config.dataDir(), config.durability(), s.segmentSize().asLongValue(),
                s.checkpointSize().asLongValue(), s.checkpointInterval()));
    }

    void close(@Disposes Storage storage) {
        storage.close();
    }
}
