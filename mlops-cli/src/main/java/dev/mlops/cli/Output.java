package dev.mlops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What commands print: JSON documents (built as trees, never by reflection or default typing) and text
 * tables.
 */
final class Output {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private Output() {
    }

    /** @return an empty JSON object */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** @return an empty JSON array */
    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /**
     * @param node a document
     * @return it as indented JSON text, without a final line feed
     */
    static String json(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Prints a JSON document and a line feed.
     *
     * @param out where
     * @param node the document
     */
    static void print(PrintWriter out, JsonNode node) {
        out.println(json(node));
    }

    /**
     * Prints a table: a header row, then the rows, columns padded to their widest cell and two spaces
     * apart; the last column is not padded.
     *
     * @param out where
     * @param header the column names
     * @param rows the cells, one list per row, as many as the header
     */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] width = new int[header.size()];
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                b.append(cell);
                if (i < row.size() - 1) {
                    b.append(" ".repeat(width[i] - cell.length() + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
