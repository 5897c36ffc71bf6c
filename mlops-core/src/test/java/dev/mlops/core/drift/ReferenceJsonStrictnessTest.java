package dev.mlops.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference JSON is untrusted input: every deviation from the format is refused with a one-line message. */
class ReferenceJsonStrictnessTest {
    private static final String NUMERIC_HEAD = "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",";
    private static final String CATEGORICAL_HEAD = "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"categorical\",";

    private static InvalidFormatException rejected(String json) {
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> Reference.fromJson(json));
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r") || m.contains("\u0000"), "one line, no raw control characters: " + m);
        assertTrue(m.startsWith("drift reference JSON: "), m);
        assertTrue(m.length() < 400, "short: " + m);
        return e;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{|not well-formed",
        "{\"format\":NaN}|not well-formed JSON: Non-standard token 'NaN' (character 13)",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[Infinity]}|Non-standard token 'Infinity' (character",
        "{\"format\":\"mlops.drift.reference\",\"version\":\"1\",\"kind\":\"numeric\",\"missing\":0,\"values\":[1]}|/version",
        "{\"format\":\"mlops.drift.reference\",\"version\":1.0,\"kind\":\"numeric\",\"missing\":0,\"values\":[1]}|/version",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":\"0\",\"values\":[1]}|/missing",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":\"NaN\",\"values\":[1]}|/missing",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":-1,\"values\":[1]}|/missing",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"values\":[1]}|/missing: missing field",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0}|/values: missing field",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"missing\":0,\"values\":[1]}|/kind: missing field",
        "{\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[1]}|/format: missing field",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"missing\":1,\"values\":[1]}|Duplicate field",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[1]} {}|end of the document",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[1],\"extra\":2}|/extra: unknown field",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[1e400]}|/values/0",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[\"1\"]}|/values/0",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[]}|at least one value",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":-1,\"missing\":0,\"values\":[1]}|/kind",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"categorical\",\"missing\":0,\"counts\":{\"de\":9223372036854775807,\"fr\":4}}|/counts/de",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"categorical\",\"missing\":0,\"counts\":{\"de\":1.5}}|/counts/de",
        "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"categorical\",\"missing\":0,\"counts\":{\"de\":4503599627370496,\"fr\":4503599627370497}}|2^53",
        "[1,2]|expected an object",
        "{\"format\":\"mlops.drift.reference\",\"version\":2,\"kind\":\"numeric\",\"missing\":0,\"values\":[1],\"new\":1}|version 2 is not supported",
    })
    void fromJson_malformedDocument_isRejectedNamingTheField(String json, String expected) {
        InvalidFormatException e = rejected(json);
        assertTrue(e.getMessage().contains(expected), "expected to mention " + expected + ": " + e.getMessage());
    }

    @Test
    void fromJson_hugeNumberLiteral_isRejectedNamingThePosition_withoutQuotingItWhole() {
        String digits = "1".repeat(1201);
        InvalidFormatException e = rejected(NUMERIC_HEAD + "\"missing\":0,\"values\":[" + digits + "]}");
        assertTrue(e.offset() > 0, e.getMessage());
        assertFalse(e.getMessage().contains(digits.substring(0, 200)), e.getMessage());
    }

    @Test
    void fromJson_controlCharactersInInput_areEscapedInTheMessage() {
        InvalidFormatException e = rejected("{\"format\":\"mlops\\n.drift\\u0000\",\"version\":1}");
        assertTrue(e.getMessage().contains("\\u000a") && e.getMessage().contains("\\u0000"), e.getMessage());
        InvalidFormatException parse = rejected("{\"format\u0001\":1}");
        assertTrue(!parse.getMessage().contains("\u0001") && parse.offset() == 8, parse.getMessage());
        InvalidFormatException name = rejected("{\"x\\n" + "y".repeat(500) + "\":1,\"format\":\"mlops.drift.reference\",\"version\":1}");
        assertTrue(name.path().startsWith("/x\\u000ayyy") && name.path().length() < 250, name.getMessage());
    }

    @Test
    void fromJson_tooManyValues_isRefusedBeforeReadingThemAll() {
        StringBuilder b = new StringBuilder(NUMERIC_HEAD).append("\"missing\":0,\"values\":[");
        for (int i = 0; i <= Reference.MAX_VALUES; i++) {
            b.append(i == 0 ? "" : ",").append('0');
        }
        InvalidFormatException e = rejected(b.append("]}").toString());
        assertTrue(e.getMessage().contains("more than " + Reference.MAX_VALUES), e.getMessage());
        assertEquals("/values/" + Reference.MAX_VALUES, e.path());
    }

    @Test
    void fromJson_categoryNamesBeyondTheLimit_areRefused() {
        String longName = "x".repeat(Reference.MAX_CATEGORY_LENGTH + 1);
        InvalidFormatException e = rejected(CATEGORICAL_HEAD + "\"missing\":0,\"counts\":{\"" + longName + "\":1}}");
        assertTrue(e.getMessage().contains("limit is " + Reference.MAX_CATEGORY_LENGTH), e.getMessage());
    }

    @Test
    void fromJson_fieldsInAnyOrder_andWhitespace_areAccepted() {
        Reference r = Reference.fromJson(" {\"counts\":{\"fr\":4,\"de\":10},\"missing\":2,\"kind\":\"categorical\",\n"
                + "\"version\":1,\"format\":\"mlops.drift.reference\"}\n");
        assertEquals(Map.of("de", 10L, "fr", 4L), ((CategoricalSample) r.sample()).counts());
    }

    @Test
    void referenceFactories_rejectEmptyAndNullArrays_namingTheArgument() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Reference.numeric(new double[0]));
        assertTrue(empty.getMessage().startsWith("values "), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reference.categorical(new String[0]));
        assertThrows(IllegalArgumentException.class, () -> Reference.numeric(new double[] {Double.NaN}));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Reference.numeric(null));
        assertEquals("values", npe.getMessage());
        assertEquals("values", assertThrows(NullPointerException.class, () -> Reference.categorical(null)).getMessage());
        assertEquals("values", assertThrows(NullPointerException.class, () -> Sample.numeric(null)).getMessage());
    }

    @Test
    void categoricalCounts_beyond2To53_areRefusedNotOverflowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sample.categoricalCounts(Map.of("de", Long.MAX_VALUE, "fr", 4L), 0));
        assertTrue(e.getMessage().contains("2^53"), e.getMessage());
    }

    @Test
    void toJson_refusesWhatFromJsonWouldRefuse_namingTheLimit() {
        String longName = "c".repeat(Reference.MAX_CATEGORY_LENGTH + 1);
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> Reference.categorical(new String[] {"a", longName}).toJson());
        assertTrue(name.getMessage().contains("at most " + Reference.MAX_CATEGORY_LENGTH), name.getMessage());
        String[] many = new String[Reference.MAX_CATEGORIES + 1];
        java.util.Arrays.setAll(many, i -> "k" + i);
        IllegalArgumentException categories = assertThrows(IllegalArgumentException.class,
                () -> Reference.categorical(many).toJson());
        assertTrue(categories.getMessage().contains("at most " + Reference.MAX_CATEGORIES), categories.getMessage());
        IllegalArgumentException values = assertThrows(IllegalArgumentException.class,
                () -> Reference.numeric(new double[Reference.MAX_VALUES + 1]).toJson());
        assertTrue(values.getMessage().contains("subsample"), values.getMessage());
        String atTheLimit = Reference.categorical(new String[] {"c".repeat(Reference.MAX_CATEGORY_LENGTH)}).toJson();
        assertEquals(Reference.MAX_CATEGORY_LENGTH, ((CategoricalSample) Reference.fromJson(atTheLimit).sample()).counts()
                .keySet().iterator().next().length());
    }
}
