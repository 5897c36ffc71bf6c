package dev.mlops.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictJsonWriterTest {
    private static final String AWKWARD = "a/\u00e9\u0001\u001f\"\\\t";

    @Test
    void compact_writesOneLine_escapingOnlyControlCharactersQuotesAndBackslashes() {
        String json = StrictJsonWriter.compact(w -> {
            w.writeStartObject();
            w.writeStringField("s", AWKWARD);
            w.writeNumberField("n", 7);
            w.writeBooleanField("b", true);
            w.writeNullField("z");
            w.writeEndObject();
        });
        assertEquals("{\"s\":\"a/\u00e9\\u0001\\u001F\\\"\\\\\\t\",\"n\":7,\"b\":true,\"z\":null}", json);
    }

    @Test
    void pretty_indentsAndEndsWithALineBreak() {
        String json = StrictJsonWriter.pretty(w -> {
            w.writeStartObject();
            w.writeArrayFieldStart("a");
            w.writeNumber(1);
            w.writeNumber(2.5);
            w.writeEndArray();
            w.writeObjectFieldStart("o");
            w.writeEndObject();
            w.writeEndObject();
        });
        assertEquals("{\n  \"a\" : [ 1, 2.5 ],\n  \"o\" : { }\n}\n", json);
    }

    @Test
    void prettyUtf8_isThePrettyTextAsUtf8_exceptSurrogatePairs_whichItEscapes() {
        StrictJsonWriter.Body body = w -> {
            w.writeStartObject();
            w.writeStringField("s", AWKWARD);
            w.writeEndObject();
        };
        assertArrayEquals(StrictJsonWriter.pretty(body).getBytes(StandardCharsets.UTF_8), StrictJsonWriter.prettyUtf8(body));
        byte[] emoji = StrictJsonWriter.prettyUtf8(w -> w.writeString("\ud83d\ude00"));
        assertEquals("\"\\uD83D\\uDE00\"\n", new String(emoji, StandardCharsets.UTF_8));
        assertEquals("\"\ud83d\ude00\"\n", StrictJsonWriter.pretty(w -> w.writeString("\ud83d\ude00")));
    }

    @Test
    void writeNumber_writesWhatDoubleToStringWrites() {
        // 2.82879384806159E17 is one where Java 17's Double.toString and a shortest-digits writer differ
        double[] values = {0.1 + 0.2, -0.0, 4.9e-324, 1.0e300, 1.7976931348623157e308, 2.82879384806159E17, 100, 1e-5};
        for (double v : values) {
            assertEquals(Double.toString(v), StrictJsonWriter.compact(w -> w.writeNumber(v)));
        }
        assertEquals("[0.5,-1.0E-7]", StrictJsonWriter.compact(w -> w.writeNumbers(new double[] {9, 0.5, -1e-7, 9}, 1, 3)));
    }

    @Test
    void writeNumber_nonFinite_isRefusedNamingTheJsonPointer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StrictJsonWriter.compact(w -> {
            w.writeStartObject();
            w.writeObjectFieldStart("o");
            w.writeNumbersField("values", new double[] {1, 2, Double.NaN});
            w.writeEndObject();
            w.writeEndObject();
        }));
        assertEquals("number at /o/values/2 must be finite, was NaN", e.getMessage());
        IllegalArgumentException field = assertThrows(IllegalArgumentException.class, () -> StrictJsonWriter.compact(w -> {
            w.writeStartObject();
            w.writeNumberField("sigma", Double.POSITIVE_INFINITY);
            w.writeEndObject();
        }));
        assertEquals("number at /sigma must be finite, was Infinity", field.getMessage());
    }

    @Test
    void writeString_null_isRefusedNamingTheField() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> StrictJsonWriter.compact(w -> {
            w.writeStartObject();
            w.writeStringField("model", null);
            w.writeEndObject();
        }));
        assertTrue(e.getMessage().startsWith("string value at /model must not be null"), e.getMessage());
    }

    @Test
    void writeFieldName_twiceInOneObject_isABugInTheWriter() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StrictJsonWriter.compact(w -> {
            w.writeStartObject();
            w.writeNumberField("n", 1);
            w.writeNumberField("n", 2);
            w.writeEndObject();
        }));
        assertTrue(e.getMessage().contains("Duplicate field 'n'"), e.getMessage());
    }

    @Test
    void aBodyThatLeavesAnObjectOpenOrWritesTwoValues_isRefused() {
        IllegalStateException open = assertThrows(IllegalStateException.class, () -> StrictJsonWriter.compact(w -> {
            w.writeStartObject();
            w.writeArrayFieldStart("rows");
        }));
        assertEquals("the document's writer left /rows/0 open", open.getMessage());
        IllegalStateException two = assertThrows(IllegalStateException.class, () -> StrictJsonWriter.prettyUtf8(w -> {
            w.writeNumber(1);
            w.writeNumber(2);
        }));
        assertEquals("a document is one value; its writer wrote 2", two.getMessage());
        assertThrows(IllegalStateException.class, () -> StrictJsonWriter.compact(w -> { }));
    }

    @Test
    void nestingDeeperThanTheReaderReads_isRefused() {
        StrictJsonWriter.Body deepest = w -> nest(w, StrictJsonReader.MAX_DEPTH);
        String json = StrictJsonWriter.compact(deepest);
        assertEquals("[".repeat(StrictJsonReader.MAX_DEPTH) + "]".repeat(StrictJsonReader.MAX_DEPTH), json);
        assertThrows(IllegalStateException.class, () -> StrictJsonWriter.compact(w -> nest(w, StrictJsonReader.MAX_DEPTH + 1)));
    }

    private static void nest(StrictJsonWriter w, int depth) {
        for (int i = 0; i < depth; i++) {
            w.writeStartArray();
        }
        for (int i = 0; i < depth; i++) {
            w.writeEndArray();
        }
    }

    @Test
    void writeEmbedded_writesAnotherDocumentAsItIs() {
        String inner = new JsonFormat("test.inner", 3).writeCompact(w -> w.writeNumberField("x", 1));
        String outer = StrictJsonWriter.compact(w -> {
            w.writeStartArray();
            w.writeEmbedded(inner);
            w.writeEmbedded(inner);
            w.writeEndArray();
        });
        assertEquals("[" + inner + "," + inner + "]", outer);
    }
}
