package dev.mlops.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFormatTest {
    private static final JsonFormat FORMAT = new JsonFormat("test.points", 1);
    private static final String DOCUMENT = "points JSON";

    /** What {@link #read} found: the body's fields in order, and its points. */
    record Read(List<String> fields, double[] points, long innerVersion) {
    }

    /**
     * A reader as every format's reader is written: the body's fields only, unknown ones skipped, the
     * header checked after the loop.
     */
    private static Read read(String json) {
        try (StrictJsonReader r = FORMAT.reader(DOCUMENT, json, 10_000)) {
            r.beginObject();
            List<String> fields = new ArrayList<>();
            double[] points = null;
            long innerVersion = -1;
            while (r.nextField()) {
                fields.add(r.field());
                switch (r.field()) {
                    case "points" -> points = r.doubleArray(100);
                    case "inner" -> {
                        r.beginObject();
                        while (r.nextField()) {
                            switch (r.field()) {
                                case "version" -> innerVersion = r.longValue(0, 100);
                                default -> r.skipUnknown();
                            }
                        }
                    }
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            r.endDocument();
            return new Read(fields, points, innerVersion);
        }
    }

    private static InvalidFormatException refused(String json) {
        return assertThrows(InvalidFormatException.class, () -> read(json));
    }

    @Test
    void writeCompact_writesTheHeaderFirst_andTheReaderReturnsOnlyTheBody() {
        String json = FORMAT.writeCompact(w -> w.writeNumbersField("points", new double[] {1.5, -2}));
        assertEquals("{\"format\":\"test.points\",\"version\":1,\"points\":[1.5,-2.0]}", json);
        Read read = read(json);
        assertEquals(List.of("points"), read.fields());
        assertArrayEquals(new double[] {1.5, -2}, read.points());
    }

    @Test
    void writePrettyAndWritePrettyUtf8_giveTheSameDocumentIndented() {
        StrictJsonWriter.Body body = w -> w.writeStringField("name", "\u00e9t\u00e9");
        String expected = "{\n  \"format\" : \"test.points\",\n  \"version\" : 1,\n  \"name\" : \"\u00e9t\u00e9\"\n}\n";
        assertEquals(expected, FORMAT.writePretty(body));
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), FORMAT.writePrettyUtf8(body));
    }

    @Test
    void reader_headerAnywhereInTheTopLevelObject_isReadAndNotReturned() {
        Read read = read("{\"points\":[],\"version\":1,\"format\":\"test.points\"}");
        assertEquals(List.of("points"), read.fields());
    }

    @Test
    void reader_formatAndVersionInsideTheBody_areTheBodysOwnFields() {
        Read read = read("{\"format\":\"test.points\",\"version\":1,\"inner\":{\"version\":7}}");
        assertEquals(7, read.innerVersion());
        InvalidFormatException e = refused("{\"format\":\"test.points\",\"version\":1,\"inner\":{\"format\":\"x\"}}");
        assertEquals("/inner/format", e.path());
        assertEquals("unknown field", e.reason());
    }

    @Test
    void reader_anotherFormat_isRefusedNamingTheDocumentAndBothFormats() {
        InvalidFormatException e = refused("{\"format\":\"test.lines\",\"version\":1,\"points\":[]}");
        assertEquals("points JSON: at /format: expected \"test.points\", found \"test.lines\" (character 10)",
                e.getMessage());
        assertEquals(DOCUMENT, e.document());
        assertEquals("/format", e.path());
    }

    @Test
    void reader_aNewerVersion_isRefusedNamingTheFormatAndBothVersions() {
        InvalidFormatException e = refused("{\"format\":\"test.points\",\"version\":2,\"points\":[]}");
        assertEquals("points JSON: at /version: format \"test.points\" version 2 is not supported; this library reads"
                + " version 1 (character 34)", e.getMessage());
    }

    @Test
    void reader_aNewerVersion_isReportedBeforeWhatItsBodyBreaks() {
        // a version 2 body may hold what version 1 refuses: the version is what the reader names
        String newer = "{\"format\":\"test.points\",\"version\":2,\"points\":\"all\",\"added\":1}";
        assertEquals("/version", refused(newer).path());
        String versionLast = "{\"format\":\"test.points\",\"added\":1,\"version\":2}";
        assertEquals("/version", refused(versionLast).path());
        String formatLast = "{\"version\":2,\"format\":\"test.points\",\"points\":\"all\"}";
        assertEquals("/version", refused(formatLast).path());
        String otherFormat = "{\"format\":\"test.lines\",\"points\":\"all\"}";
        assertEquals("/format", refused(otherFormat).path());
    }

    @Test
    void reader_missingHeaderField_isRefusedNamingWhatWasExpected() {
        assertEquals("points JSON: at /format: missing field, expected \"test.points\"",
                refused("{\"version\":1,\"points\":[]}").getMessage());
        assertEquals("points JSON: at /version: missing field, expected 1",
                refused("{\"format\":\"test.points\",\"points\":[]}").getMessage());
    }

    @Test
    void reader_headerOfTheWrongType_isRefusedNamingItsPointer() {
        InvalidFormatException version = refused("{\"format\":\"test.points\",\"version\":\"1\"}");
        assertEquals("points JSON: at /version: expected an integer in [0, 2147483647], found string \"1\" (character 34)",
                version.getMessage());
        assertEquals("/format", refused("{\"format\":[\"test.points\"],\"version\":1}").path());
        assertEquals("/version", refused("{\"format\":\"test.points\",\"version\":1.0}").path());
    }

    @Test
    void reader_aValueOfTheWrongType_isRefusedNamingItsPointer() {
        InvalidFormatException e = refused("{\"format\":\"test.points\",\"version\":1,\"points\":[1,2,\"3\"]}");
        assertEquals("/points/2", e.path());
        assertEquals("expected a number, found string \"3\"", e.reason());
    }

    @Test
    void reader_unknownField_isRefusedAfterTheHeaderIsChecked() {
        InvalidFormatException unknown = refused("{\"format\":\"test.points\",\"version\":1,\"inner\":{\"extra\":1},"
                + "\"points\":[]}");
        assertEquals("/inner/extra", unknown.path());
        assertEquals("unknown field", unknown.reason());
        InvalidFormatException missingVersion = refused("{\"format\":\"test.points\",\"extra\":1}");
        assertEquals("/version", missingVersion.path());
    }

    @Test
    void reader_endDocumentWithoutCheckHeader_isABugInTheReader() {
        try (StrictJsonReader r = FORMAT.reader(DOCUMENT, FORMAT.writeCompact(w -> { }), 100)) {
            r.beginObject();
            while (r.nextField()) {
                r.skipUnknown();
            }
            assertThrows(IllegalStateException.class, r::endDocument);
        }
    }

    @Test
    void checkHeader_onAReaderWithoutAFormat_isABugInTheReader() {
        try (StrictJsonReader r = StrictJsonReader.of(DOCUMENT, "{}", 100)) {
            r.beginObject();
            while (r.nextField()) {
                r.skipUnknown();
            }
            assertThrows(IllegalStateException.class, r::checkHeader);
        }
    }

    @Test
    void aFormatReadingSeveralVersions_acceptsThemAll_andSaysWhichItRead() {
        JsonFormat layouts = new JsonFormat("test.layout", 3, 2);
        for (int v = 2; v <= 3; v++) {
            try (StrictJsonReader r = layouts.reader(DOCUMENT, "{\"format\":\"test.layout\",\"version\":" + v + "}", 100)) {
                r.beginObject();
                while (r.nextField()) {
                    r.skipUnknown();
                }
                r.checkHeader();
                r.endDocument();
                assertEquals(v, r.formatVersion());
            }
        }
        for (int v : new int[] {1, 4}) {
            try (StrictJsonReader r = layouts.reader(DOCUMENT, "{\"format\":\"test.layout\",\"version\":" + v + "}", 100)) {
                r.beginObject();
                InvalidFormatException e = assertThrows(InvalidFormatException.class, r::nextField);
                assertTrue(e.getMessage().contains("version " + v + " is not supported; this library reads version 2 to 3"),
                        e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new JsonFormat("x", 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new JsonFormat("x", 2, 0));
    }

    @Test
    void constructor_refusesAnEmptyNameOrAVersionBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new JsonFormat("", 1));
        assertThrows(IllegalArgumentException.class, () -> new JsonFormat("x".repeat(JsonFormat.MAX_NAME_LENGTH + 1), 1));
        assertThrows(IllegalArgumentException.class, () -> new JsonFormat("test.points", 0));
        assertThrows(NullPointerException.class, () -> new JsonFormat(null, 1));
    }
}
