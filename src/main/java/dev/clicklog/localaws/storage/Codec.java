package dev.clicklog.localaws.storage;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * How a store's changes are written to the log and to its snapshots: the store's on-disk format.
 * Every change is written with {@link #version()}; a later version must still read every earlier
 * one, so change the encoding only by raising the version and keeping a reader for the old one.
 * {@link JsonCodec} suits most stores; a store with a hot write path writes binary.
 */
public interface Codec<E> {

    /** The version written with every change, 1 to 255. */
    int version();

    void write(E change, DataOutput out) throws IOException;

    /** Reads a change written with {@code version} (at most {@link #version()}). */
    E read(int version, DataInput in) throws IOException;
}
