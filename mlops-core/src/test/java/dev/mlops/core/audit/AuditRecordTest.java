package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mlops.core.InvalidFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
    private static final Instant T = Instant.parse("2026-11-27T10:15:30.123456789Z");
    private static final AuditEvent E = AuditEvent.of("alice", "alias.set", "fraud@champion")
            .with("to", "7").with("from", "6").withOutcome(AuditEvent.Outcome.DENIED);

    /** The v2 form is frozen: this golden must keep matching, byte for byte, forever. */
    @Test
    void canonicalBytes_matchTheGoldenFile() throws IOException {
        AuditRecord r = new AuditRecord(3, T, E.with("note", "two\nlines \u00e9\uD83D\uDE00"));
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/audit-record-v2.hex")) {
            golden = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        assertEquals(golden, HexFormat.of().formatHex(r.canonicalBytes()));
        assertEquals(MerkleTree.leafHash(r.canonicalBytes()), r.leafHash());
        assertEquals(r, AuditRecord.fromCanonicalBytes(HexFormat.of().parseHex(golden)));
    }

    @Property(tries = 200)
    void leafHash_changesWhenAnyPartChanges(@ForAll @IntRange(max = 7) int part) {
        AuditRecord base = new AuditRecord(3, T, E);
        List<AuditRecord> changed = List.of(
                new AuditRecord(4, T, E),
                new AuditRecord(3, T.plusNanos(1), E),
                new AuditRecord(3, T, new AuditEvent("alicf", E.action(), E.target(), E.outcome(), E.details())),
                new AuditRecord(3, T, new AuditEvent(E.actor(), "alias.sez", E.target(), E.outcome(), E.details())),
                new AuditRecord(3, T, new AuditEvent(E.actor(), E.action(), "fraud@champiom", E.outcome(), E.details())),
                new AuditRecord(3, T, E.withOutcome(AuditEvent.Outcome.FAILED)),
                new AuditRecord(3, T, E.with("extra", "")),
                new AuditRecord(3, T, new AuditEvent(E.actor(), E.action(), E.target(), E.outcome(), Map.of("to", "8", "from", "6"))));
        assertNotEquals(base.leafHash(), changed.get(part).leafHash());
    }

    @Test
    void stringsAreLengthPrefixed_soMovingABoundaryChangesTheBytes() {
        assertNotEquals(new AuditRecord(0, T, AuditEvent.of("ab", "c", "")).leafHash(),
                new AuditRecord(0, T, AuditEvent.of("a", "bc", "")).leafHash());
        assertNotEquals(new AuditRecord(0, T, AuditEvent.of("a", "b", "").with("k", "vx")).leafHash(),
                new AuditRecord(0, T, AuditEvent.of("a", "b", "").with("kv", "x")).leafHash());
    }

    @Test
    void details_areInCodePointOrder_theOrderOfTheirUtf8Bytes() {
        // U+FF21 sorts before U+1F600 by code point (and UTF-8), after it by UTF-16 code unit
        AuditEvent e = AuditEvent.of("a", "b", "").with("\uD83D\uDE00", "1").with("\uFF21", "2").with("Z", "3");
        assertEquals(List.of("Z", "\uFF21", "\uD83D\uDE00"), List.copyOf(e.details().keySet()));
        AuditRecord r = new AuditRecord(0, T, e);
        assertEquals(r, AuditRecord.fromCanonicalBytes(r.canonicalBytes()));
    }

    @Property(tries = 300)
    void fromCanonicalBytes_roundTrips(@ForAll("records") AuditRecord r) {
        byte[] b = r.canonicalBytes();
        AuditRecord back = AuditRecord.fromCanonicalBytes(b);
        assertEquals(r, back);
        assertArrayEquals(b, back.canonicalBytes());
    }

    @Property(tries = 300)
    void fromCanonicalBytes_refusesAnyTruncationOrTrailingByte(@ForAll("records") AuditRecord r, @ForAll @IntRange(min = 1, max = 40) int cut) {
        byte[] b = r.canonicalBytes();
        assertThrows(InvalidFormatException.class, () -> AuditRecord.fromCanonicalBytes(Arrays.copyOf(b, Math.max(0, b.length - cut))));
        assertThrows(InvalidFormatException.class, () -> AuditRecord.fromCanonicalBytes(Arrays.copyOf(b, b.length + 1)));
    }

    @Test
    void fromCanonicalBytes_refusesUnknownFormatsAndUnsortedDetails() {
        byte[] b = new AuditRecord(0, T, E).canonicalBytes();
        byte[] v1 = b.clone();
        v1[4 + 13] = '1';
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> AuditRecord.fromCanonicalBytes(v1));
        assertEquals("audit record (mlops.audit.v2): expected the format tag mlops.audit.v2 (character 18)", e.getMessage());
        String hex = HexFormat.of().formatHex(b);
        // swap the two details' (from, to) so that keys descend
        String from = HexFormat.of().formatHex(pair("from", "6"));
        String to = HexFormat.of().formatHex(pair("to", "7"));
        byte[] swapped = HexFormat.of().parseHex(hex.replace(from + to, to + from));
        assertThrows(InvalidFormatException.class, () -> AuditRecord.fromCanonicalBytes(swapped));
    }

    private static byte[] pair(String k, String v) {
        byte[] kb = k.getBytes(StandardCharsets.UTF_8);
        byte[] vb = v.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(8 + kb.length + vb.length).putInt(kb.length).put(kb).putInt(vb.length).put(vb).array();
    }

    @Provide
    Arbitrary<AuditRecord> records() {
        net.jqwik.api.arbitraries.StringArbitrary line = Arbitraries.strings().withCharRange(' ', '~').withChars("\u00e9\u4e2d\uFF21").ofMaxLength(20);
        Arbitrary<Map<String, String>> details = Arbitraries.maps(line.ofMinLength(1),
                Arbitraries.strings().withCharRange(' ', '~').withChars("\n\t\u00e9").ofMaxLength(30)).ofMaxSize(5);
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L), Arbitraries.integers().between(0, 999_999_999),
                line.ofMinLength(1), line.ofMinLength(1), line, Arbitraries.of(AuditEvent.Outcome.class), details)
                .as((i, s, n, a, act, t, o, d) -> new AuditRecord(i, Instant.ofEpochSecond(s, n), new AuditEvent(a, act, t, o, new TreeMap<>(d))));
    }
}
