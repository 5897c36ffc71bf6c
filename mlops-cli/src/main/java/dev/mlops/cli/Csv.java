package dev.mlops.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A strict reader of CSV files as RFC 4180 defines them: UTF-8 (a byte order mark is skipped), fields
 * separated by commas, records by CRLF or LF, a field that holds a comma, a quote or a line break quoted
 * with {@code "}, and a quote inside it doubled. The first record is the header: column names, non-empty
 * and distinct. Every record has as many fields as the header; a last line break is optional, and blank
 * lines at the very end are ignored. Anything
 * else is refused with a one-line {@link CliException} naming the file, the line, the column and what was
 * expected. Not thread-safe; one instance reads one file.
 */
final class Csv {
    /** A file read: its header and its records, each with the line it starts on. */
    record Table(Path file, List<String> header, List<String[]> rows, int[] lines) {
        /**
         * @param name a column
         * @return its index
         */
        int column(String name) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw CliException.usage("CSV file " + file + ": no column " + name + "; its columns are " + header);
            }
            return i;
        }
    }

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;

    private Csv(Path file, String text) {
        this.file = file;
        this.text = text;
        this.pos = text.startsWith("\uFEFF") ? 1 : 0;
    }

    /**
     * @param file a CSV file with a header
     * @return its contents
     * @throws CliException when it cannot be read or is not strict CSV, naming the file, line and column
     */
    static Table read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage("CSV file " + file + ": no such file");
        } catch (IOException e) {
            throw CliException.usage("CSV file " + file + ": cannot be read: " + e, e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw CliException.usage("CSV file " + file + ": not UTF-8 text");
        }
        return parse(file, text);
    }

    /**
     * @param file the name for messages
     * @param text the file's text
     * @return its contents
     */
    static Table parse(Path file, String text) {
        return new Csv(file, text).table();
    }

    private Table table() {
        if (pos >= text.length()) {
            throw CliException.usage("CSV file " + file + ": empty; expected a header line with the column names");
        }
        List<String> header = record(null);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            if (name.isEmpty()) {
                throw fail(1, i + 1, "the header names no column " + (i + 1) + "; every column needs a name");
            }
            if (!seen.add(name)) {
                throw fail(1, i + 1, "the header names column " + name + " twice");
            }
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        while (pos < text.length() && !onlyLineBreaksLeft()) {
            int start = line;
            List<String> fields = record(header);
            if (fields.size() != header.size()) {
                throw fail(start, Math.min(fields.size(), header.size()) + 1, "expected " + header.size()
                        + " fields as in the header, found " + fields.size());
            }
            rows.add(fields.toArray(new String[0]));
            lines.add(start);
        }
        return new Table(file, List.copyOf(header), rows, lines.stream().mapToInt(Integer::intValue).toArray());
    }

    /** @return whether nothing but line breaks is left: blank lines at the end of a file are not records */
    private boolean onlyLineBreaksLeft() {
        for (int i = pos; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Reads one record and the line break after it (or the end of the text). */
    private List<String> record(List<String> header) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            int column = fields.size() + 1;
            if (pos < text.length() && text.charAt(pos) == '"') {
                int openedOn = line;
                pos++;
                while (true) {
                    if (pos >= text.length()) {
                        throw fail(openedOn, column, "a quoted field is not closed before the end of the file");
                    }
                    char c = text.charAt(pos++);
                    if (c == '"') {
                        if (pos < text.length() && text.charAt(pos) == '"') {
                            field.append('"');
                            pos++;
                        } else {
                            break;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                    }
                }
                if (pos < text.length() && !isEnd(text.charAt(pos))) {
                    throw fail(line, column, "expected a comma or the end of the line after a closing quote, found "
                            + quoteChar(text.charAt(pos)));
                }
            } else {
                while (pos < text.length() && !isEnd(text.charAt(pos))) {
                    char c = text.charAt(pos++);
                    if (c == '"') {
                        throw fail(line, column, "a quote inside an unquoted field; quote the whole field and double"
                                + " the quote");
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (pos >= text.length()) {
                return fields;
            }
            char c = text.charAt(pos++);
            if (c == ',') {
                continue;
            }
            if (c == '\r') {
                if (pos >= text.length() || text.charAt(pos) != '\n') {
                    throw fail(line, column, "a carriage return not followed by a line feed");
                }
                pos++;
            }
            line++;
            return fields;
        }
    }

    private static boolean isEnd(char c) {
        return c == ',' || c == '\n' || c == '\r';
    }

    private static String quoteChar(char c) {
        return c < ' ' ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    private CliException fail(int atLine, int column, String what) {
        return CliException.usage("CSV file " + file + ": line " + atLine + ", column " + column + ": " + what);
    }
}
