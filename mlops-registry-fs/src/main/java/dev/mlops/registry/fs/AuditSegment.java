package dev.mlops.registry.fs;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditRecord;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The segment file format of {@link FileAuditLog}, layout version {@value #VERSION}: names, the header,
 * frames, and the scan that reads a segment back on open. The format is documented on
 * {@link FileAuditLog}; this class is its only reader and writer.
 */
final class AuditSegment {
    /** The layout version this class writes and reads. */
    static final int VERSION = 1;
    /** Bytes before the first frame. */
    static final int HEADER_BYTES = 24;
    /** A frame's length and checksum. */
    static final int FRAME_HEADER_BYTES = 8;
    /** The shortest payload: a record's canonical bytes open with their 18-byte format field. */
    static final int MIN_PAYLOAD = 18;
    /** The longest payload; a record's canonical bytes are at most about 1.05 MiB. */
    static final int MAX_PAYLOAD = 2 * 1024 * 1024;

    /** Where the index's 8 bytes lie in canonical bytes: after the format field and the index's length. */
    private static final int INDEX_OFFSET = MIN_PAYLOAD + 4;
    /** Where the time's 12 bytes lie: after the index field and the time's length. */
    private static final int TIME_OFFSET = INDEX_OFFSET + 8 + 4;
    private static final byte[] MAGIC = "mlopsaud".getBytes(StandardCharsets.US_ASCII);
    /** How every payload of this layout begins: the canonical bytes' format field. */
    private static final byte[] PAYLOAD_PREFIX = ByteBuffer.allocate(MIN_PAYLOAD)
            .putInt(AuditRecord.FORMAT.length()).put(AuditRecord.FORMAT.getBytes(StandardCharsets.US_ASCII)).array();
    private static final Pattern NAME = Pattern.compile("[0-9]{20}\\.audit");
    private static final Pattern TEMP_NAME = Pattern.compile("[0-9]{20}\\.audit\\.tmp");
    private static final String SUFFIX = ".audit";

    private AuditSegment() {
    }

    /** @return the name of the segment whose first record is {@code firstIndex} */
    static String name(long firstIndex) {
        return String.format(java.util.Locale.ROOT, "%020d%s", firstIndex, SUFFIX);
    }

    /** @return whether {@code name} is a segment's */
    static boolean isSegment(String name) {
        return NAME.matcher(name).matches();
    }

    /** @return whether {@code name} is a segment being created */
    static boolean isTemporary(String name) {
        return TEMP_NAME.matcher(name).matches();
    }

    /** @return the first index a segment's name gives */
    static long firstIndexOf(String name) {
        return Long.parseLong(name.substring(0, 20));
    }

    /** @return the 24 header bytes of a segment whose first record is {@code firstIndex} */
    static byte[] header(long firstIndex) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(VERSION).putLong(firstIndex);
        return b.putInt(crc(b.array(), 0, HEADER_BYTES - 4)).array();
    }

    /** @return the frame that stores {@code payload}: length, CRC32C of length and payload, payload */
    static byte[] frame(byte[] payload) {
        byte[] out = new byte[FRAME_HEADER_BYTES + payload.length];
        putFrame(out, 0, payload);
        return out;
    }

    /**
     * Writes the frame that stores {@code payload} into {@code out} at {@code offset}.
     *
     * @return where the frame ends in {@code out}
     */
    static int putFrame(byte[] out, int offset, byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(out, offset, FRAME_HEADER_BYTES).putInt(payload.length);
        CRC32C c = new CRC32C();
        c.update(out, offset, 4);
        c.update(payload, 0, payload.length);
        b.putInt((int) c.getValue());
        System.arraycopy(payload, 0, out, offset + FRAME_HEADER_BYTES, payload.length);
        return offset + FRAME_HEADER_BYTES + payload.length;
    }

    /**
     * The canonical bytes of {@code event} as record 0 at the epoch, to be {@linkplain #stamp stamped} with
     * the record's index and time once the log assigns them: index and time are fixed-width fields at fixed
     * offsets (fields 2 and 3 of {@link AuditRecord}'s canonical bytes), so an appender encodes its event
     * before it takes its turn, and the turn only writes 20 bytes.
     */
    static byte[] unstamped(AuditEvent event) {
        return new AuditRecord(0, Instant.EPOCH, event).canonicalBytes();
    }

    /**
     * Turns {@link #unstamped} bytes into the canonical bytes of {@code new AuditRecord(index, at, event)}.
     */
    static void stamp(byte[] payload, long index, Instant at) {
        ByteBuffer.wrap(payload).putLong(INDEX_OFFSET, index).putLong(TIME_OFFSET, at.getEpochSecond())
                .putInt(TIME_OFFSET + 8, at.getNano());
    }

    /** The checksum of a frame's length and payload, given the frame at {@code off} of {@code bytes}. */
    private static int frameCrc(byte[] bytes, int off, int length) {
        CRC32C c = new CRC32C();
        c.update(bytes, off, 4);
        c.update(bytes, off + FRAME_HEADER_BYTES, length);
        return (int) c.getValue();
    }

    private static int crc(byte[] bytes, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(bytes, off, len);
        return (int) c.getValue();
    }

    /**
     * Checks a segment's header.
     *
     * @param header the file's first {@link #HEADER_BYTES} bytes, or fewer when the file is shorter
     * @return null when the header is intact and names {@code firstIndex}; else what is wrong
     */
    static String headerProblem(byte[] header, long firstIndex) {
        if (header.length < HEADER_BYTES) {
            return "the file is " + header.length + " bytes long, shorter than its " + HEADER_BYTES + "-byte header";
        }
        ByteBuffer b = ByteBuffer.wrap(header);
        if (!Arrays.equals(header, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return "bytes 0 to 7 are not the magic \"mlopsaud\" of an audit log segment";
        }
        int stored = b.getInt(HEADER_BYTES - 4);
        int computed = crc(header, 0, HEADER_BYTES - 4);
        if (stored != computed) {
            return "the header fails its CRC32C (stored " + hex(stored) + ", computed " + hex(computed) + ")";
        }
        int version = b.getInt(8);
        if (version != VERSION) {
            return "layout version " + version + " is not one this library reads (it reads " + VERSION + ")";
        }
        long first = b.getLong(12);
        if (first != firstIndex) {
            return "the header says the first record is " + first + ", the file name says " + firstIndex;
        }
        return null;
    }

    static String hex(int crc) {
        return String.format(java.util.Locale.ROOT, "0x%08x", crc);
    }

    /** What a frame read at an offset holds: its payload, or what is wrong with it. */
    record Frame(long offset, byte[] payload, String problem, boolean crcFailed) {
        boolean intact() {
            return problem == null;
        }

        long end() {
            return offset + FRAME_HEADER_BYTES + payload.length;
        }
    }

    /**
     * Reads the frame at {@code offset}: intact when its length is in range, it ends within the file and
     * its checksum matches.
     */
    static Frame readFrame(Window w, long offset) throws IOException {
        long left = w.size() - offset;
        if (left < FRAME_HEADER_BYTES) {
            return new Frame(offset, null, "an incomplete frame header (" + left + " bytes) ends the file", false);
        }
        byte[] head = w.read(offset, FRAME_HEADER_BYTES);
        int length = ByteBuffer.wrap(head).getInt(0);
        if (length < MIN_PAYLOAD || length > MAX_PAYLOAD) {
            return new Frame(offset, null, "frame length " + Integer.toUnsignedString(length) + " is outside ["
                    + MIN_PAYLOAD + ", " + MAX_PAYLOAD + "]", false);
        }
        if (left - FRAME_HEADER_BYTES < length) {
            return new Frame(offset, null, "a frame of " + length + " bytes is cut off by the end of the file after "
                    + (left - FRAME_HEADER_BYTES), false);
        }
        byte[] frame = w.read(offset, FRAME_HEADER_BYTES + length);
        String problem = checkFrame(frame);
        if (problem != null) {
            return new Frame(offset, null, problem, true);
        }
        return new Frame(offset, Arrays.copyOfRange(frame, FRAME_HEADER_BYTES, frame.length), null, false);
    }

    /**
     * @param frame a whole frame, as long as it was written
     * @return null when its length field gives its length and its checksum matches; else what is wrong
     */
    static String checkFrame(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        int length = b.getInt(0);
        if (length != frame.length - FRAME_HEADER_BYTES) {
            return "the frame's length reads " + Integer.toUnsignedString(length) + ", it was written as "
                    + (frame.length - FRAME_HEADER_BYTES);
        }
        int stored = b.getInt(4);
        int computed = frameCrc(frame, 0, length);
        if (stored != computed) {
            return "the frame fails its CRC32C (stored " + hex(stored) + ", computed " + hex(computed) + ")";
        }
        return null;
    }

    /**
     * @return the offset of the first intact frame that starts after {@code from} and before the end of
     *         the file, or -1 when there is none: every payload of this layout opens with the same 18 bytes,
     *         so candidates are few, and each is confirmed by its checksum
     */
    static long nextIntactFrame(Window w, long from) throws IOException {
        for (long q = from; q + FRAME_HEADER_BYTES + MIN_PAYLOAD <= w.size(); q++) {
            if (w.startsWith(q + FRAME_HEADER_BYTES, PAYLOAD_PREFIX) && readFrame(w, q).intact()) {
                return q;
            }
        }
        return -1;
    }

    /** @return the record a payload encodes, or an exception naming the file and the frame's offset */
    static AuditRecord decode(Path file, long offset, byte[] payload) {
        try {
            return AuditRecord.fromCanonicalBytes(payload);
        } catch (InvalidFormatException e) {
            throw damaged(file, offset, "the record in the frame does not decode (" + e.getMessage() + ")");
        }
    }

    /** @return the exception for bytes that are wrong in the way {@code reason} says */
    static InvalidFormatException damaged(Path file, long offset, String reason) {
        return new InvalidFormatException("audit log segment " + file, "", offset, "at byte " + offset + ": " + reason);
    }

    /** @return the exception for a frame that fails its checksum where no torn write can be */
    static IntegrityException corrupt(Path file, long offset, String reason) {
        return new IntegrityException("audit log segment " + file + ": at byte " + offset + ": " + reason);
    }

    /**
     * Positional reads of one segment through a window of up to 1 MiB, so that a scan reads each byte
     * once in large reads. Reads past the size it was opened with are refused.
     */
    static final class Window implements Closeable {
        private static final int CAPACITY = 1 << 20;
        private final FileChannel channel;
        private final long size;
        private final ByteBuffer buffer = ByteBuffer.allocate(CAPACITY);
        private long start;

        Window(Path file) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            size = channel.size();
            buffer.limit(0);
        }

        long size() {
            return size;
        }

        /** @return {@code n} bytes from {@code pos}, which the caller ensures lie within {@link #size()} */
        byte[] read(long pos, int n) throws IOException {
            byte[] out = new byte[n];
            if (n > CAPACITY) {
                readFully(ByteBuffer.wrap(out), pos);
                return out;
            }
            fill(pos, n);
            System.arraycopy(buffer.array(), (int) (pos - start), out, 0, n);
            return out;
        }

        /** @return whether the bytes at {@code pos} are {@code prefix} (false when the file ends first) */
        boolean startsWith(long pos, byte[] prefix) throws IOException {
            if (pos + prefix.length > size) {
                return false;
            }
            fill(pos, prefix.length);
            int at = (int) (pos - start);
            return Arrays.equals(buffer.array(), at, at + prefix.length, prefix, 0, prefix.length);
        }

        private void fill(long pos, int n) throws IOException {
            if (pos >= start && pos + n <= start + buffer.limit()) {
                return;
            }
            buffer.clear();
            buffer.limit((int) Math.min(CAPACITY, size - pos));
            readFully(buffer, pos);
            start = pos;
            buffer.flip();
        }

        private void readFully(ByteBuffer b, long pos) throws IOException {
            long at = pos;
            while (b.hasRemaining()) {
                int n = channel.read(b, at);
                if (n < 0) {
                    throw new EOFException("the file ended at byte " + at + ", before the " + size + " bytes it had on opening");
                }
                at += n;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
