package dev.mlops.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.VersionQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ledger restored from its snapshot answers, and goes on, as the original does; parts that do not fit are refused. */
class ModelLedgerStateTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static ModelLedger history() {
        ModelLedger l = new ModelLedger("m");
        for (int i = 1; i <= 5; i++) {
            l.apply(l.planRegister(NewVersion.builder("m").artifact(new byte[] {(byte) i}).metric("auc", i / 10.0)
                    .build(), Sha256.ofUtf8("v" + i), 1, T.plusSeconds(i)));
        }
        l.apply(l.planSetAlias("champion", 2, AliasExpect.absent(), ChangeNote.by("a"), T.plusSeconds(10)));
        l.apply(l.planSetAlias("champion", 4, AliasExpect.current(2), ChangeNote.by("b"), T.plusSeconds(11)));
        l.apply(l.planDelete(ModelRef.of("m", 3), ChangeNote.by("c"), T.plusSeconds(12)));
        return l;
    }

    @Test
    void restoredLedger_answersAndContinuesAsTheOriginal() {
        ModelLedger original = history();
        ModelLedger restored = ModelLedger.restore(original.snapshot());
        assertEquals(original.snapshot(), restored.snapshot());
        assertEquals(original.summary(), restored.summary());
        assertEquals(original.versions(PageRequest.first(10)), restored.versions(PageRequest.first(10)));
        VersionQuery best = VersionQuery.builder().orderBy(VersionQuery.Order.highest("auc")).build();
        assertEquals(original.search(best, java.util.Optional.empty(), 3),
                restored.search(best, java.util.Optional.empty(), 3));
        for (ModelLedger l : List.of(original, restored)) {
            l.apply(l.planRollback("champion", ChangeNote.by("d"), T.plusSeconds(20)));
            l.apply(l.planRegister(NewVersion.builder("m").artifact(new byte[] {9}).build(), Sha256.ofUtf8("v6"), 1,
                    T.plusSeconds(21)));
        }
        assertEquals(original.snapshot(), restored.snapshot(), "the same changes keep them equal");
        assertEquals(2, restored.current("champion").getAsLong());
        assertEquals(6, restored.resolveOrThrow(ModelRef.latest("m")).version());
    }

    @Test
    void partsThatDoNotFit_areRefusedNamingThePart() {
        ModelLedger.State s = history().snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelLedger.restore(
                new ModelLedger.State(s.model(), 3, s.deleted(), s.description(), s.tags(), s.revision(), s.createdAt(),
                        s.updatedAt(), s.live(), s.targets(), s.history(), s.tombstones())));
        assertTrue(e.getMessage().contains("above the highest number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelLedger.restore(new ModelLedger.State(s.model(),
                s.highest(), s.deleted(), s.description(), s.tags(), s.revision(), s.createdAt(), s.updatedAt(),
                s.live(), Map.of("champion", List.of(3L)), s.history(), s.tombstones())));
        assertTrue(e.getMessage().contains("alias champion"), e.getMessage());
        List<AliasMove> moves = new ArrayList<>(s.history().get("champion"));
        e = assertThrows(IllegalArgumentException.class, () -> ModelLedger.restore(new ModelLedger.State(s.model(),
                s.highest(), s.deleted(), s.description(), s.tags(), s.revision(), s.createdAt(), s.updatedAt(),
                s.live(), s.targets(), Map.of("staging", moves), s.tombstones())));
        assertTrue(e.getMessage().contains("history of alias staging"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelLedger.restore(new ModelLedger.State(s.model(),
                s.highest(), s.deleted(), s.description(), s.tags(), s.revision(), s.createdAt(), s.updatedAt(),
                s.live(), s.targets(), s.history(), List.of(s.tombstones().get(0), s.tombstones().get(0)))));
        assertTrue(e.getMessage().contains("tombstone of version 3"), e.getMessage());
    }
}
