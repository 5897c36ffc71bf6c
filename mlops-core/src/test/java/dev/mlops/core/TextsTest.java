package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextsTest {
    @Test
    void check_allowsLineFeedAndTab_refusesOtherControlCharacters() {
        assertEquals("a\nb\tc", Texts.check("reason", "a\nb\tc", 0, 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Texts.check("reason", "a\rb", 0, 10));
        assertTrue(e.getMessage().contains("U+000D at index 1"), e.getMessage());
    }

    @Test
    void line_refusesLineFeedTabAndC1Controls() {
        assertEquals("alice", Texts.line("actor", "alice", 1, 10));
        for (String bad : new String[] {"a\nb", "a\tb", "a\u0085b", "a\u007fb"}) {
            assertThrows(IllegalArgumentException.class, () -> Texts.line("actor", bad, 1, 10), bad);
        }
    }

    @Test
    void lengthOutOfBounds_namesTheValueAndTheBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Texts.line("actor", "", 1, 200));
        assertEquals("actor must be 1 to 200 characters, was 0: \"\"", e.getMessage());
        assertThrows(NullPointerException.class, () -> Texts.check("actor", null, 0, 1));
    }

    @Test
    void key_refusesEvenLineFeed() {
        assertThrows(IllegalArgumentException.class, () -> Texts.key("metric name", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> Texts.key("metric name", "x".repeat(251)));
    }

    @Test
    void wellFormed_acceptsPairs_refusesLoneSurrogates() {
        assertEquals("a\uD83D\uDE00b", Texts.wellFormed("actor", "a\uD83D\uDE00b"));
        assertThrows(IllegalArgumentException.class, () -> Texts.wellFormed("actor", "a\uD83D"));
        assertThrows(IllegalArgumentException.class, () -> Texts.wellFormed("actor", "\uDE00a"));
        assertThrows(IllegalArgumentException.class, () -> Texts.wellFormed("actor", "\uDE00\uD83D"));
    }
}
