package dev.mlops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void isValid_acceptsLowerCaseNamesWithDotsDashesUnderscores() {
        for (String ok : List.of("a", "fraud-scorer", "fraud_scorer.v2", "x1", "a" + "b".repeat(63), "cons", "com10", "con-x")) {
            assertTrue(Names.isValid(ok), ok);
        }
    }

    @Test
    void isValid_rejectsTraversalCaseControlReservedAndOverlongNames() {
        for (String bad : List.of("", "A", "1abc", ".x", "_x", "a/b", "a\\b", "a..b", "a.", "a\u0000", "a\n", "con", "nul.txt",
                "lpt9", "a" + "b".repeat(64), "caf\u00e9", "a b", "a:b", "a@b")) {
            assertFalse(Names.isValid(bad), bad);
        }
    }

    @Test
    void check_rejectedName_messageNamesTheKindAndEscapesTheInput() {
        InvalidNameException e = assertThrows(InvalidNameException.class, () -> Names.checkAlias("Bad\nName"));
        assertTrue(e.getMessage().startsWith("alias \"Bad\\u000aName\" is not valid"), e.getMessage());
    }

    @Test
    void quote_cutsLongInputShort() {
        String q = Names.quote("x".repeat(500));
        assertTrue(q.length() < 130, q);
        assertTrue(q.contains("(500 chars)"));
    }

    @Test
    void sha256_ofKnownInput_matchesTheFipsVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.ofUtf8("abc").hex());
        assertThrows(IllegalArgumentException.class, () -> new Sha256("ABC"));
        assertEquals(Sha256.ofUtf8("abc"), Sha256.parse("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
    }
}
