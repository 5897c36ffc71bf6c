package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict RFC 4180 reader behind {@code mlops drift}. */
class CsvTest {
    private static final Path FILE = Path.of("data.csv");

    private static Csv.Table parse(String text) {
        return Csv.parse(FILE, text);
    }

    private static String refusal(String text) {
        CliException e = assertThrows(CliException.class, () -> parse(text));
        assertEquals(Mlops.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void parse_quotedFields_holdCommasDoubledQuotesAndLineBreaks() {
        Csv.Table t = parse("id,note\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\n");
        assertEquals(List.of("id", "note"), t.header());
        assertEquals(4, t.rows().size());
        assertArrayEquals(new String[] {"1", "a, b"}, t.rows().get(0));
        assertArrayEquals(new String[] {"2", "say \"hi\""}, t.rows().get(1));
        assertArrayEquals(new String[] {"3", "two\nlines"}, t.rows().get(2));
        assertArrayEquals(new String[] {"4", ""}, t.rows().get(3));
        assertArrayEquals(new int[] {2, 3, 4, 6}, t.lines());
    }

    @Test
    void parse_byteOrderMark_missingLastLineBreak_andBlankLinesAtTheEnd_areAccepted() {
        assertEquals(List.of("a"), parse("\uFEFFa,b\n1,2").header().subList(0, 1));
        assertEquals(1, parse("a,b\n1,2").rows().size());
        assertEquals(1, parse("a,b\n1,2\n\n\r\n").rows().size());
        assertEquals(0, parse("a,b\n").rows().size());
    }

    @Test
    void parse_malformedInput_isRefusedNamingFileLineAndColumn() {
        assertEquals("CSV file data.csv: empty; expected a header line with the column names", refusal(""));
        assertEquals("CSV file data.csv: line 1, column 2: the header names column a twice", refusal("a,a\n1,2\n"));
        assertEquals("CSV file data.csv: line 1, column 2: the header names no column 2; every column needs a name",
                refusal("a,\n1,2\n"));
        assertEquals("CSV file data.csv: line 3, column 3: expected 2 fields as in the header, found 3",
                refusal("a,b\n1,2\n1,2,3\n"));
        assertEquals("CSV file data.csv: line 2, column 2: expected 2 fields as in the header, found 1",
                refusal("a,b\n1\n"));
        assertEquals("CSV file data.csv: line 2, column 2: a quote inside an unquoted field; quote the whole field"
                + " and double the quote", refusal("a,b\n1,x\"y\n"));
        assertEquals("CSV file data.csv: line 2, column 2: a quoted field is not closed before the end of the file",
                refusal("a,b\n1,\"open\n\n"));
        assertEquals("CSV file data.csv: line 2, column 1: expected a comma or the end of the line after a closing"
                + " quote, found 'x'", refusal("a,b\n\"1\"x,2\n"));
        assertEquals("CSV file data.csv: line 2, column 2: a carriage return not followed by a line feed",
                refusal("a,b\n1,2\r3,4\n"));
    }
}
