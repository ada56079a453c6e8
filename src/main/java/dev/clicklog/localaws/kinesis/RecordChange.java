package dev.clicklog.localaws.kinesis;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import dev.clicklog.localaws.storage.Codec;

/**
 * What the journal {@code kinesis-records} records: records appended to a shard (one change per
 * shard a request wrote to), and in its snapshots how many records each shard had then, its
 * records being on disk (forced) in the shard's own files. Replaying records a shard's files
 * already hold changes nothing: a record is appended only at the shard's end.
 */
sealed interface RecordChange permits RecordChange.RecordsAdded, RecordChange.ShardEnd {

    String STORE = "kinesis-records";

    /** Records {@code firstIndex}, {@code firstIndex + 1}, … of a shard, all arrived at {@code arrivalMillis}. */
    record RecordsAdded(String stream, long createdMillis, int shard, long firstIndex, long arrivalMillis, byte[][] keys,
            byte[][] data) implements RecordChange {
    }

    /** A snapshot's word for a shard: its records up to {@code end} were forced to its files. */
    record ShardEnd(String stream, long createdMillis, int shard, long end) implements RecordChange {
    }

    /** Version 1, binary: a type byte, the shard's address, then the records (key and data with their lengths). */
    final class RecordCodec implements Codec<RecordChange> {

        private static final int ADDED = 1;
        private static final int END = 2;

        @Override
        public int version() {
            return 1;
        }

        @Override
        public void write(RecordChange change, DataOutput out) throws IOException {
            if (change instanceof RecordsAdded r) {
                out.writeByte(ADDED);
                address(out, r.stream(), r.createdMillis(), r.shard());
                out.writeLong(r.firstIndex());
                out.writeLong(r.arrivalMillis());
                out.writeInt(r.keys().length);
                for (int i = 0; i < r.keys().length; i++) {
                    out.writeShort(r.keys()[i].length);
                    out.write(r.keys()[i]);
                    out.writeInt(r.data()[i].length);
                    out.write(r.data()[i]);
                }
            } else {
                ShardEnd e = (ShardEnd) change;
                out.writeByte(END);
                address(out, e.stream(), e.createdMillis(), e.shard());
                out.writeLong(e.end());
            }
        }

        private static void address(DataOutput out, String stream, long created, int shard) throws IOException {
            out.writeUTF(stream);
            out.writeLong(created);
            out.writeInt(shard);
        }

        @Override
        public RecordChange read(int version, DataInput in) throws IOException {
            int type = in.readUnsignedByte();
            String stream = in.readUTF();
            long created = in.readLong();
            int shard = in.readInt();
            if (type == END) {
                return new ShardEnd(stream, created, shard, in.readLong());
            }
            if (type != ADDED) {
                throw new IOException("unknown record change type " + type);
            }
            long first = in.readLong();
            long arrival = in.readLong();
            int n = in.readInt();
            byte[][] keys = new byte[n][];
            byte[][] data = new byte[n][];
            for (int i = 0; i < n; i++) {
                keys[i] = new byte[in.readUnsignedShort()];
                in.readFully(keys[i]);
                data[i] = new byte[in.readInt()];
                in.readFully(data[i]);
            }
            return new RecordsAdded(stream, created, shard, first, arrival, keys, data);
        }
    }
}
