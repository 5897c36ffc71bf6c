package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    @Test
    void of_isAllowed_withoutDetails() {
        AuditEvent e = AuditEvent.of("alice", "model.register", "fraud:1");
        assertEquals(AuditEvent.Outcome.ALLOWED, e.outcome());
        assertEquals(Map.of(), e.details());
        assertEquals(AuditEvent.Outcome.DENIED, e.withOutcome(AuditEvent.Outcome.DENIED).outcome());
    }

    @Test
    void singleLineParts_refuseEveryControlCharacter() {
        for (String bad : new String[] {"a\nb", "a\tb", "a\rb", "a\u0000", "a\u009b"}) {
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of(bad, "x", ""), bad);
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", bad, ""), bad);
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", bad), bad);
            assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", "").with(bad, "v"), bad);
        }
    }

    @Test
    void detailValues_followTheRegistrysFreeTextRule() {
        assertEquals("two\nlines\tok", AuditEvent.of("a", "x", "").with("reason", "two\nlines\tok").details().get("reason"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", "").with("reason", "a\rb"));
        assertEquals("detail reason must not contain control characters, found U+000D at index 1: \"a\\u000db\"", e.getMessage());
    }

    @Test
    void unpairedSurrogates_areRefused_soTheUtf8FormIsExact() {
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a\uD800", "x", ""));
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", "").with("k", "\uDC00"));
    }

    @Test
    void lengthsAndCountsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("", "x", ""));
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a".repeat(201), "x", ""));
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x".repeat(101), ""));
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", "t".repeat(501)));
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", "").with("k", "v".repeat(4001)));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= AuditEvent.MAX_DETAILS; i++) {
            many.put("k" + i, "v");
        }
        assertThrows(IllegalArgumentException.class, () -> new AuditEvent("a", "x", "", AuditEvent.Outcome.ALLOWED, many));
        assertThrows(NullPointerException.class, () -> new AuditEvent("a", "x", "", null, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("a", "x", "").with("k", "1").with("k", "2"));
    }
}
