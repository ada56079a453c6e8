package dev.clicklog.localaws.kinesis;

import java.util.Arrays;

/**
 * The records of one PutRecord or PutRecords call on their way into the shards: partition keys as
 * UTF-8, data, the shard each was routed to, the index each got (-1 while not written), and which
 * are still to be appended (a record whose shard a reshard closed is routed again).
 */
final class PutBatch {

    final int size;
    final byte[][] keys;
    final byte[][] data;
    final String[] explicitHashKeys;
    final int[] shard;
    final long[] index;
    final boolean[] pending;

    PutBatch(byte[][] keys, byte[][] data, String[] explicitHashKeys) {
        this.size = keys.length;
        this.keys = keys;
        this.data = data;
        this.explicitHashKeys = explicitHashKeys;
        this.shard = new int[size];
        this.index = new long[size];
        this.pending = new boolean[size];
        Arrays.fill(index, -1);
        Arrays.fill(pending, true);
    }

    boolean anyPending() {
        for (boolean p : pending) {
            if (p) {
                return true;
            }
        }
        return false;
    }

    boolean written(int i) {
        return index[i] >= 0;
    }

    long bytes(int i) {
        return keys[i].length + (long) data[i].length;
    }
}
