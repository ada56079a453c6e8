package dev.clicklog.localaws.kinesis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.clicklog.localaws.storage.BlockCache;
import dev.clicklog.localaws.storage.RecordLog;
import dev.clicklog.localaws.storage.Storage;

/**
 * Where shards keep their records: a {@link RecordLog} per shard under the storage's area
 * {@code kinesis}, in {@code <stream>@<created>/<shard id>/} (the creation time tells a stream from
 * an earlier one of the same name), all reading through one bounded block cache.
 */
final class ShardLogs {

    private static final Logger LOG = Logger.getLogger(ShardLogs.class);
    static final String AREA = "kinesis";

    private final Storage storage;
    private final RecordLog.Settings settings;
    private final BlockCache cache;
    private volatile Path root;

    ShardLogs(Storage storage, RecordLog.Settings settings, BlockCache cache) {
        this.storage = storage;
        this.settings = settings;
        this.cache = cache;
    }

    /** The directory of a stream's shards; the name's characters are AWS's, a slash or "@" never. */
    static String directoryName(String stream, long createdMillis) {
        return stream + "@" + createdMillis;
    }

    RecordLog open(String stream, long createdMillis, int shardIndex) {
        return RecordLog.open(streamDir(stream, createdMillis).resolve(StreamShard.shardId(shardIndex)), 0, settings, cache);
    }

    /** Deletes a removed stream's records. */
    void delete(String stream, long createdMillis) {
        Storage.deleteTree(streamDir(stream, createdMillis), true);
    }

    /** Deletes the records of every stream that is no longer there (a crash before their deletion). */
    void keepOnly(Set<String> directoryNames) {
        Path dir = root();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                if (!directoryNames.contains(p.getFileName().toString())) {
                    LOG.debugf("localaws kinesis: deleting the records of a stream that is gone, %s", p);
                    Storage.deleteTree(p, true);
                }
            }
        } catch (IOException e) {
            LOG.warnf(e, "localaws kinesis: could not list %s", dir);
        }
    }

    BlockCache cache() {
        return cache;
    }

    private Path streamDir(String stream, long createdMillis) {
        return root().resolve(directoryName(stream, createdMillis));
    }

    private Path root() {
        Path r = root;
        if (r == null) {
            r = storage.area(AREA);
            root = r;
        }
        return r;
    }
}
