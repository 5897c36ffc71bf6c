package dev.mlops.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrincipalTest {
    @Test
    void of_keepsNameAndRoles_sortedAndUnmodifiable() {
        Principal p = Principal.of("alice", "on-call", "data-science");

        assertEquals("alice", p.name());
        assertEquals(List.of("data-science", "on-call"), List.copyOf(p.roles()));
        assertTrue(p.hasRole("on-call"));
        assertFalse(p.hasRole("admin"));
        assertThrows(UnsupportedOperationException.class, () -> p.roles().add("admin"));
    }

    @Test
    void roles_areCopied_soLaterChangesToTheCallersSetDoNotLeakIn() {
        Set<String> roles = new HashSet<>(Set.of("reader"));
        Principal p = new Principal("bob", roles);
        roles.add("admin");
        assertFalse(p.hasRole("admin"));
    }

    @Test
    void name_followsTheAuditActorRules() {
        for (String bad : List.of("", "alice\nroot", "tab\there", "bell\u0007", "half \uD800 surrogate", "x".repeat(201))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Principal.of(bad));
            assertTrue(e.getMessage().contains("principal name"), e.getMessage());
        }
        assertEquals("x".repeat(200), Principal.of("x".repeat(200)).name());
        assertEquals("Zoë 😀", Principal.of("Zoë 😀").name(), "any well-formed single line is a name");
        assertThrows(NullPointerException.class, () -> Principal.of(null));
    }

    @Test
    void roles_areSingleLinesOfAtMost100_andAtMost100OfThem() {
        assertThrows(IllegalArgumentException.class, () -> Principal.of("a", "ops\nadmin"));
        assertThrows(IllegalArgumentException.class, () -> Principal.of("a", ""));
        assertThrows(IllegalArgumentException.class, () -> Principal.of("a", "r".repeat(101)));
        Set<String> many = IntStream.range(0, 101).mapToObj(i -> "r" + i).collect(Collectors.toSet());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Principal("a", many));
        assertTrue(e.getMessage().contains("101 roles"), e.getMessage());
        assertEquals(100, new Principal("a", many.stream().limit(100).collect(Collectors.toSet())).roles().size());
    }
}
