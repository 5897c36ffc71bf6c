package dev.mlops.registry.fs;

import dev.mlops.core.audit.AuditLog;
import dev.mlops.tck.AuditLogContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the published kit against {@link FileAuditLog}, each test in a fresh directory, with small
 * segments so that the kit's logs span several files.
 */
class FileAuditLogContractTest extends AuditLogContract {
    /** The offset of the actor's first byte in a record's canonical bytes: format, index and time fields, then its length. */
    static final int ACTOR_IN_PAYLOAD = 18 + 12 + 16 + 4;

    private final TempDirs dirs = new TempDirs();

    @Override
    protected AuditLog newLog() {
        return FileAuditLog.builder(dirs.create()).segmentBytes(2048).build();
    }

    @Override
    protected AuditLog newLog(InstantSource clock) {
        return FileAuditLog.builder(dirs.create()).segmentBytes(2048).clock(clock).build();
    }

    @Override
    protected AuditLog newSignedLog(PrivateKey key, String origin) {
        return FileAuditLog.builder(dirs.create()).signer(key, origin).build();
    }

    /** Flips a bit of the record's actor on disk, as a bad sector or a careless edit would. */
    @Override
    protected void corruptRecord(long index) {
        Map.Entry<Path, Long> frame = ((FileAuditLog) log()).frameForTest(index);
        flipBit(frame.getKey(), frame.getValue() + AuditSegment.FRAME_HEADER_BYTES + ACTOR_IN_PAYLOAD);
    }

    static void flipBit(Path file, long offset) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 1));
            b.rewind();
            ch.write(b, offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }
}
