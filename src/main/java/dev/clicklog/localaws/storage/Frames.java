package dev.clicklog.localaws.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The framing shared by every file of the storage layer: {@code length (int32) · CRC-32C of the
 * body (int32) · body}. A reader tells a clean end (nothing after the last frame) from a torn one
 * (a frame cut short, as a crash mid-write leaves it) and from damage (a checksum that does not
 * match, a length no frame can have).
 */
final class Frames {

    static final int HEADER = 8;
    /** No frame is larger: a Kinesis record (10 MiB) and its metadata fit many times over. */
    static final int MAX_BODY = 64 * 1024 * 1024;

    private Frames() {
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** Writes the frame header for {@code body[offset, offset+length)} into {@code out} at its position. */
    static void putHeader(ByteBuffer out, byte[] body, int offset, int length) {
        out.putInt(length);
        out.putInt(crc(body, offset, length));
    }

    /** What reading the next frame found. */
    enum Status {
        /** A whole frame with a matching checksum. */
        FRAME,
        /** The file ends exactly after the previous frame. */
        END,
        /** The file ends in the middle of a frame. */
        TORN,
        /** The frame's length is impossible or its checksum does not match. */
        DAMAGED
    }

    /**
     * Reads frames one after the other from a file, from a given offset, through a buffer of its
     * own. After {@link #next()} answered {@link Status#FRAME}, the body is {@link #body()}
     * from {@link #bodyOffset()} for {@link #bodyLength()} bytes, valid until the next call.
     */
    static final class Reader {
        private final FileChannel channel;
        private final long size;
        private ByteBuffer buffer;
        /** File offset of buffer position 0. */
        private long bufferStart;
        private long position;
        private long frameStart;
        private int bodyOffset;
        private int bodyLength;
        private String problem;

        Reader(FileChannel channel, long from) throws IOException {
            this.channel = channel;
            this.size = channel.size();
            this.buffer = ByteBuffer.allocate(1024 * 1024);
            this.buffer.limit(0);
            this.bufferStart = from;
            this.position = from;
        }

        Status next() throws IOException {
            frameStart = position;
            problem = null;
            if (position == size) {
                return Status.END;
            }
            if (size - position < HEADER) {
                problem = "a frame header cut short";
                return Status.TORN;
            }
            fill(HEADER);
            int at = (int) (position - bufferStart);
            int length = buffer.getInt(at);
            int crc = buffer.getInt(at + 4);
            if (length < 0 || length > MAX_BODY) {
                problem = "an impossible frame length " + length;
                return Status.DAMAGED;
            }
            if (size - position - HEADER < length) {
                problem = "a frame of " + length + " bytes cut short";
                return Status.TORN;
            }
            fill(HEADER + length);
            at = (int) (position - bufferStart);
            if (crc(buffer.array(), at + HEADER, length) != crc) {
                problem = "a checksum mismatch";
                return Status.DAMAGED;
            }
            bodyOffset = at + HEADER;
            bodyLength = length;
            position += HEADER + length;
            return Status.FRAME;
        }

        /** Makes sure the buffer holds {@code bytes} bytes from {@link #position}. */
        private void fill(int bytes) throws IOException {
            int at = (int) (position - bufferStart);
            if (at >= 0 && at + bytes <= buffer.limit()) {
                return;
            }
            if (buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocate(Math.max(bytes, buffer.capacity() * 2));
            }
            buffer.clear();
            bufferStart = position;
            long want = Math.min(buffer.capacity(), size - position);
            buffer.limit((int) want);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
                    throw new EOFException("file shrank while being read");
                }
            }
            buffer.flip();
        }

        byte[] body() {
            return buffer.array();
        }

        int bodyOffset() {
            return bodyOffset;
        }

        int bodyLength() {
            return bodyLength;
        }

        /** Where the frame last read (or found torn or damaged) begins. */
        long frameStart() {
            return frameStart;
        }

        /** Just past the last whole frame read. */
        long position() {
            return position;
        }

        /** What was wrong with the frame, after {@link Status#TORN} or {@link Status#DAMAGED}. */
        String problem() {
            return problem;
        }

        long size() {
            return size;
        }
    }
}
