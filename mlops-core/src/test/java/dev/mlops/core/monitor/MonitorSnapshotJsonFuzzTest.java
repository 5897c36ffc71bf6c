package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mlops.core.InvalidFormatException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Hostile input: the golden snapshot and window documents with every field dropped, every field
 * duplicated, every value retyped, every number made huge, every prefix cut off, deep nesting inserted,
 * and random damage. Each must end in a clean {@link InvalidFormatException} of one line (naming the
 * field's JSON Pointer where the damage is at one field) or, where the damage leaves a valid document (a
 * category dropped, a count changed), a value that round-trips; never another exception. The golden
 * files stay the inputs, so the set of cases is fixed; a run takes a few seconds.
 */
class MonitorSnapshotJsonFuzzTest {
    private static final Duration BUDGET = Duration.ofSeconds(60);
    private static final String[] APPENDED = {"{}", "x", "\n]", ",", " 1", "\u0000", "// comment"};
    private static final char[] FLIPS = {'\u0000', '\n', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '9', 'e',
        '\u0661', '\u2028', '\ud800', 'x', ' '};

    private record Format(String name, String golden, Function<String, Object> read, Function<Object, String> write) {
    }

    private static final List<Format> FORMATS = List.of(
            new Format("snapshot", MonitorSnapshotJsonTest.resource(MonitorSnapshotJsonTest.SNAPSHOT_GOLDEN),
                    MonitorSnapshotJson::read, v -> MonitorSnapshotJson.write((MonitorSnapshot) v)),
            new Format("window", MonitorSnapshotJsonTest.resource(MonitorSnapshotJsonTest.WINDOW_GOLDEN),
                    MonitorSnapshotJson::readWindow, v -> MonitorSnapshotJson.write((WindowSnapshot) v)),
            new Format("window v1", MonitorSnapshotJsonTest.resource(MonitorSnapshotJsonTest.WINDOW_GOLDEN_V1),
                    MonitorSnapshotJson::readWindow, v -> MonitorSnapshotJson.write((WindowSnapshot) v)));

    /** A token of a document: kind, character range, the JSON Pointer of its value, and whether it is a map entry. */
    private record Token(JsonToken kind, int start, int end, String pointer, boolean entry) {
    }

    @Test
    void everyFieldDropped_isRefusedAsMissing_orAMapEntryRoundTrips() {
        run((format, tokens) -> {
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.kind() != JsonToken.FIELD_NAME || repeats(t)) {
                    continue;
                }
                String doc = dropField(format.golden(), tokens, i);
                if (t.entry() || t.pointer().endsWith("/outcomes/classification")
                        || t.pointer().endsWith("/outcomes/regression") || t.pointer().endsWith("/drift")
                        && !t.pointer().contains("/drift/")) {
                    check(format, doc); // a map entry, a window's optional metrics or drift: a valid document too
                } else {
                    refused(format, doc, t.pointer(), "missing field");
                }
            }
        });
    }

    @Test
    void everyFieldDuplicated_isRefusedNamingTheField() {
        run((format, tokens) -> {
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.kind() != JsonToken.FIELD_NAME || repeats(t)) {
                    continue;
                }
                int end = valueEnd(tokens, i + 1);
                String golden = format.golden();
                String doc = golden.substring(0, end) + "," + golden.substring(t.start(), end) + golden.substring(end);
                InvalidFormatException e = refused(format, doc, null, "Duplicate field");
                String name = t.pointer().substring(t.pointer().lastIndexOf('/') + 1);
                if (!e.getMessage().contains("'" + name + "'")) {
                    fail(format.name() + ": the duplicate " + t.pointer() + " is not named: " + e.getMessage());
                }
            }
        });
    }

    @Test
    void everyValueRetyped_isRefusedAtItsPath() {
        run((format, tokens) -> {
            for (int i = 1; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                if (t.kind() == JsonToken.FIELD_NAME || t.kind().isStructEnd() || repeats(t)) {
                    continue;
                }
                String golden = format.golden();
                // a boolean is retyped as a number: true in place of true would be no change
                String retyped = t.kind().isBoolean() ? "7" : "true";
                refused(format, golden.substring(0, t.start()) + retyped + golden.substring(valueEnd(tokens, i)),
                        t.pointer(), "expected");
                if (t.kind().isScalarValue()) {
                    String other = t.kind() == JsonToken.VALUE_STRING ? "{}" : "\"7\"";
                    refused(format, golden.substring(0, t.start()) + other + golden.substring(t.end()), t.pointer(),
                            "expected");
                }
            }
        });
    }

    @Test
    void everyNumberMadeHuge_isRefusedAtItsPath_orRoundTrips() {
        run((format, tokens) -> {
            for (Token t : tokens) {
                if (!t.kind().isNumeric() || repeats(t)) {
                    continue;
                }
                String golden = format.golden();
                String before = golden.substring(0, t.start());
                String after = golden.substring(t.end());
                refused(format, before + "1e400" + after, t.pointer(), "expected");
                refused(format, before + "1".repeat(200) + after, null, "exceeds the maximum");
                for (String n : new String[] {"9223372036854775807", "9223372036854775808", "-1", "-0.0", "4.9e-324"}) {
                    check(format, before + n + after);
                }
            }
        });
    }

    @Test
    void everyPrefix_isRefused() {
        run((format, tokens) -> {
            String golden = format.golden();
            for (Token t : tokens) {
                if (repeats(t)) {
                    continue;
                }
                refused(format, golden.substring(0, t.start()), null, "");
                if (t.end() < golden.length()) {
                    refused(format, golden.substring(0, t.end()), null, "");
                }
            }
            refused(format, "", null, "");
        });
    }

    @Test
    void deepNesting_isRefusedCleanly() {
        run((format, tokens) -> {
            String golden = format.golden();
            String deep = "[".repeat(10_000) + "]".repeat(10_000);
            String deepObject = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
            for (Token t : tokens) {
                if (repeats(t)) {
                    continue;
                }
                if (t.kind() == JsonToken.START_OBJECT) {
                    String at = golden.substring(0, t.start() + 1);
                    String rest = golden.substring(t.start() + 1);
                    refused(format, at + "\"extra\":" + deep + "," + rest, null, "");
                    refused(format, at + "\"extra\":" + deepObject + "," + rest, null, "");
                } else if (t.kind().isScalarValue()) {
                    refused(format, golden.substring(0, t.start()) + deep + golden.substring(t.end()), null, "");
                }
            }
        });
    }

    @Test
    void randomDamage_isRefusedCleanly_orRoundTrips() {
        Random r = new Random(20261101);
        run((format, tokens) -> {
            for (int i = 0; i < 600; i++) {
                String doc = format.golden();
                for (int k = 0; k < 1 + r.nextInt(3); k++) {
                    doc = damage(doc, r);
                }
                check(format, doc);
            }
        });
    }

    // ---- running ------------------------------------------------------------------------------------------

    private interface Cases {
        void run(Format format, List<Token> tokens);
    }

    private static void run(Cases cases) {
        assertTimeoutPreemptively(BUDGET, () -> {
            for (Format f : FORMATS) {
                cases.run(f, tokens(f.golden()));
            }
        });
    }

    /**
     * The snapshot's windows are read by the code that reads the window document, which is damaged token by
     * token on its own: in the snapshot, only the tokens outside all but its first window are.
     */
    private static boolean repeats(Token t) {
        String p = t.pointer();
        return p.startsWith("/closed/") && !p.startsWith("/closed/0") || p.startsWith("/current/")
                || p.startsWith("/cumulative/");
    }

    /** Reads a document that must be refused, at {@code path} when it is not null; returns the error. */
    private static InvalidFormatException refused(Format format, String doc, String path, String reason) {
        try {
            format.read().apply(doc);
        } catch (InvalidFormatException e) {
            oneLine(format, doc, e);
            if (path != null && !path.equals(e.path())) {
                fail(format.name() + ": expected the error at " + path + ", was " + e.getMessage() + " for "
                        + shorten(doc));
            }
            if (!e.getMessage().contains(reason)) {
                fail(format.name() + ": expected \"" + reason + "\" in " + e.getMessage());
            }
            return e;
        } catch (RuntimeException | Error e) {
            fail(format.name() + ": " + e.getClass().getName() + " escaped for " + shorten(doc) + ": " + e.getMessage(), e);
        }
        fail(format.name() + ": accepted " + shorten(doc) + (path == null ? "" : ", expected an error at " + path));
        return null;
    }

    /** Reads a document that may be refused cleanly or accepted; an accepted one must round-trip. */
    private static void check(Format format, String doc) {
        Object value;
        try {
            value = format.read().apply(doc);
        } catch (InvalidFormatException e) {
            oneLine(format, doc, e);
            return;
        } catch (RuntimeException | Error e) {
            fail(format.name() + ": " + e.getClass().getName() + " escaped for " + shorten(doc) + ": " + e.getMessage(), e);
            return;
        }
        try {
            String written = format.write().apply(value);
            Object again = format.read().apply(written);
            assertEquals(value, again, format.name() + " round trip of " + shorten(doc));
            assertEquals(written, format.write().apply(again));
        } catch (RuntimeException e) {
            fail(format.name() + ": accepted " + shorten(doc) + " but it does not round-trip: " + e, e);
        }
    }

    private static void oneLine(Format format, String doc, InvalidFormatException e) {
        String m = e.getMessage();
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                fail(format.name() + ": message holds control character U+" + String.format("%04X", (int) c) + " for "
                        + shorten(doc) + ": " + shorten(m), e);
            }
        }
        if (m.length() > 1000 || m.contains("com.fasterxml") || m.contains("[Source:") || m.contains("Feature")) {
            fail(format.name() + ": message too long or a dependency's text passed through: " + shorten(m), e);
        }
    }

    // ---- tokens and damage --------------------------------------------------------------------------------

    private static List<Token> tokens(String doc) {
        List<Token> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(doc)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                // strings are read lazily: finish the token so that the location is past its end
                p.finishToken();
                int end = (int) p.currentLocation().getCharOffset();
                boolean structStart = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
                var context = structStart ? p.getParsingContext().getParent() : p.getParsingContext();
                String pointer = context.pathAsPointer().toString();
                var object = structStart ? context : p.getParsingContext();
                String parent = object.inObject() && object.getParent() != null
                        ? object.getParent().getCurrentName() : null;
                boolean entry = object.inObject() && ("counts".equals(parent) || "newCategories".equals(parent));
                out.add(new Token(t, start, end, pointer, entry));
            }
        } catch (IOException e) {
            throw new IllegalStateException("golden files parse", e);
        }
        return out;
    }

    private static int valueEnd(List<Token> tokens, int i) {
        JsonToken k = tokens.get(i).kind();
        if (k != JsonToken.START_OBJECT && k != JsonToken.START_ARRAY) {
            return tokens.get(i).end();
        }
        int depth = 0;
        for (int j = i; j < tokens.size(); j++) {
            JsonToken t = tokens.get(j).kind();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
                if (depth == 0) {
                    return tokens.get(j).end();
                }
            }
        }
        return tokens.get(tokens.size() - 1).end();
    }

    private static String dropField(String doc, List<Token> tokens, int field) {
        int start = tokens.get(field).start();
        int end = valueEnd(tokens, field + 1);
        if (end < doc.length() && doc.charAt(end) == ',') {
            end++;
        } else if (start > 0 && doc.charAt(start - 1) == ',') {
            start--;
        }
        return doc.substring(0, start) + doc.substring(end);
    }

    private static String damage(String doc, Random r) {
        if (doc.isEmpty()) {
            return "{";
        }
        int at = r.nextInt(doc.length());
        return switch (r.nextInt(5)) {
            case 0 -> doc + APPENDED[r.nextInt(APPENDED.length)];
            case 1 -> doc.substring(0, at) + "\"" + "z".repeat(r.nextInt(3000)) + "\"" + doc.substring(at);
            case 2 -> {
                int digit = doc.indexOf(':', at);
                yield digit < 0 ? doc : doc.substring(0, digit + 1) + (r.nextBoolean() ? "0" : "12345") + doc.substring(digit + 1);
            }
            default -> doc.substring(0, at) + FLIPS[r.nextInt(FLIPS.length)] + doc.substring(at + 1);
        };
    }

    private static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 300); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return s.length() > 300 ? b + "...(" + s.length() + " chars)" : b.toString();
    }
}
