package dev.mlops.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
    private static final byte[] DATA = random(100_000);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(1).nextBytes(b);
        return b;
    }

    private static InputStream verifying(byte[] served) {
        return new VerifyingInputStream(new ByteArrayInputStream(served), Sha256.of(DATA), DATA.length, "m:1");
    }

    @Test
    void read_intactBytes_passesThemThrough() throws IOException {
        try (InputStream in = verifying(DATA)) {
            assertArrayEquals(DATA, in.readAllBytes());
        }
    }

    @Test
    void read_oneFlippedBit_throwsIntegrityExceptionAtEnd() {
        byte[] corrupt = DATA.clone();
        corrupt[54_321] ^= 0x10;
        IntegrityException e = assertThrows(IntegrityException.class, () -> verifying(corrupt).readAllBytes());
        assertTrue(e.getMessage().contains("m:1") && e.getMessage().contains("digest"), e.getMessage());
    }

    @Test
    void read_truncatedOrExtendedBytes_throwsIntegrityException() {
        byte[] shorter = java.util.Arrays.copyOf(DATA, DATA.length - 1);
        byte[] longer = java.util.Arrays.copyOf(DATA, DATA.length + 1);
        assertThrows(IntegrityException.class, () -> verifying(shorter).readAllBytes());
        assertThrows(IntegrityException.class, () -> verifying(longer).readAllBytes());
    }

    @Test
    void readFully_toTheRecordedSize_checksWithoutWaitingForEndOfStream() throws IOException {
        byte[] corrupt = DATA.clone();
        corrupt[99_999] ^= 0x01;
        try (InputStream in = verifying(corrupt)) {
            byte[] buf = new byte[DATA.length];
            assertThrows(IntegrityException.class, () -> new java.io.DataInputStream(in).readFully(buf));
        }
        try (InputStream in = verifying(DATA)) {
            byte[] buf = new byte[DATA.length];
            new java.io.DataInputStream(in).readFully(buf);
            assertArrayEquals(DATA, buf);
        }
    }

    @Test
    void skip_stillHashesTheSkippedBytes() {
        byte[] corrupt = DATA.clone();
        corrupt[10] ^= 1;
        assertThrows(IntegrityException.class, () -> {
            try (InputStream in = verifying(corrupt)) {
                in.skip(50_000);
                in.readAllBytes();
            }
        });
    }
}
