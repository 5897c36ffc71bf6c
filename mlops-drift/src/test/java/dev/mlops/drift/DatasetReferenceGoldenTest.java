package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.drift.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetReferenceGoldenTest {
    private static String golden(String name) throws IOException {
        try (InputStream in = DatasetReferenceGoldenTest.class.getResourceAsStream("/formats/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void version1GoldenFile_readsAsWritten_andIsWhatToJsonWrites() throws IOException {
        String v1 = golden("dataset-reference-v1.json");
        Map<String, Reference> columns = new LinkedHashMap<>();
        columns.put("amount", Reference.numeric(new double[] {2.5, Double.NaN, 0.5, -0.0}));
        columns.put("country", Reference.categorical(new String[] {"de", "de", "de", "de", "de", "de", "de", "de", "de",
            "de", "fr", "fr", "fr", "fr", null, null}));
        DatasetReference expected = new DatasetReference(columns);

        DatasetReference read = DatasetReference.fromJson(v1);
        assertEquals(expected, read);
        assertEquals(List.of("amount", "country"), read.columnNames());
        assertEquals(v1, expected.toJson());
    }
}
