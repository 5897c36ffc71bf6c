package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
    private static final Instant T = Instant.parse("2026-11-27T10:15:30.123456789Z");
    private static final AuditEvent E = AuditEvent.of("alice", "alias.set", "fraud@champion").with("to", "7");

    @Test
    void link_computesAHashThatVerifies_andChainsFromGenesis() {
        AuditRecord first = AuditRecord.link(0, T, E, AuditRecord.GENESIS);
        AuditRecord second = AuditRecord.link(1, T, E, first.hash());
        assertTrue(first.hashMatches());
        assertTrue(second.hashMatches());
        assertNotEquals(first.hash(), second.hash());
    }

    @Property(tries = 200)
    void chainHash_changesWhenAnyPartChanges(@ForAll @IntRange(max = 5) int part) {
        Sha256 base = AuditRecord.chainHash(3, T, E, AuditRecord.GENESIS);
        List<Sha256> changed = List.of(
                AuditRecord.chainHash(4, T, E, AuditRecord.GENESIS),
                AuditRecord.chainHash(3, T.plusNanos(1), E, AuditRecord.GENESIS),
                AuditRecord.chainHash(3, T, AuditEvent.of("alicf", "alias.set", "fraud@champion").with("to", "7"), AuditRecord.GENESIS),
                AuditRecord.chainHash(3, T, E.with("extra", ""), AuditRecord.GENESIS),
                AuditRecord.chainHash(3, T, AuditEvent.of("alice", "alias.set", "fraud@champion").with("to", "8"), AuditRecord.GENESIS),
                AuditRecord.chainHash(3, T, E, Sha256.ofUtf8("x")));
        assertNotEquals(base, changed.get(part));
    }

    @Test
    void chainHash_lengthPrefixesStrings_soMovingABoundaryChangesTheHash() {
        Sha256 a = AuditRecord.chainHash(0, T, AuditEvent.of("ab", "c", ""), AuditRecord.GENESIS);
        Sha256 b = AuditRecord.chainHash(0, T, AuditEvent.of("a", "bc", ""), AuditRecord.GENESIS);
        assertNotEquals(a, b);
    }

    @Test
    void hashMatches_tamperedRecord_isFalse() {
        AuditRecord r = AuditRecord.link(0, T, E, AuditRecord.GENESIS);
        AuditRecord tampered = new AuditRecord(0, T, AuditEvent.of("mallory", "alias.set", "fraud@champion").with("to", "7"),
                r.previousHash(), r.hash());
        assertFalse(tampered.hashMatches());
        assertEquals(r, AuditRecord.link(0, T, E, AuditRecord.GENESIS));
    }
}
