package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops drift} on CSV files and {@code mlops gate} on a registry, run as {@code java -jar mlops.jar}. */
@Tag("jar")
class DriftAndGateJarTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void copyCsvFiles() throws IOException {
        for (String name : List.of("reference.csv", "current-same.csv", "current-shifted.csv", "bad-quote.csv")) {
            try (InputStream in = DriftAndGateJarTest.class.getResourceAsStream("/csv/" + name)) {
                Files.copy(in, tmp.resolve(name));
            }
        }
    }

    @Test
    void drift_sameDistribution_exits0_withTheSummaryTable() {
        Jar.Result r = Jar.run(tmp, "drift", "reference.csv", "current-same.csv", "--exclude", "id").exits(0).quiet();
        List<String> lines = r.out().lines().toList();
        assertEquals("Dataset: no drift (0 of 4 tested columns drifted, 0%; the dataset drifts at 50% or more)",
                lines.get(0));
        assertTrue(lines.get(1).matches("COLUMN +KIND +TEST +STATISTIC +P-VALUE +THRESHOLD +VERDICT"), r::toString);
        assertTrue(r.out().contains("\namount   numeric      ks   "), r::toString);
        assertTrue(r.out().contains("\ncountry  categorical  chi_square_gof  "), r::toString);
        assertEquals(6, lines.size(), r::toString);
    }

    @Test
    void drift_shiftedData_exits1_andWritesTheHtmlAndJsonReports() throws IOException {
        Jar.Result r = Jar.run(tmp, "drift", "reference.csv", "current-shifted.csv", "--exclude", "id", "--html",
                "report.html", "--json", "report.json").exits(1).quiet();
        assertTrue(r.out().startsWith("Dataset: drift (2 of 4 tested columns drifted, 50%"), r::toString);
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("report.json").toFile());
        assertEquals("mlops.drift.report", report.get("format").asText());
        assertTrue(report.get("verdict").get("drifted").asBoolean());
        assertEquals("reference.csv", report.get("reference").asText());
        assertEquals(List.of("amount drift", "country drift", "age no drift", "note no drift"),
                each(report.get("columns"), c -> c.get("name").asText() + " " + c.get("verdict").asText()));
        String html = Files.readString(tmp.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), () -> html.substring(0, 100));
        assertContains(html, "current-shifted.csv", "amount");

        JsonNode onStdout = Jar.run(tmp, "drift", "reference.csv", "current-shifted.csv", "--exclude", "id",
                "--categorical", "age", "--test", "amount=psi", "--fail-on", "never", "--json").exits(0).quiet().json();
        assertEquals(List.of("psi", "chi_square_gof"), List.of(onStdout.get("columns").get(0).get("test").asText(),
                onStdout.get("columns").get(2).get("test").asText()));
    }

    @Test
    void drift_malformedCsv_exits2_namingFileLineAndColumn() {
        Jar.Result r = Jar.run(tmp, "drift", "reference.csv", "bad-quote.csv").exits(2);
        assertEquals("mlops drift: CSV file bad-quote.csv: line 3, column 2: expected a comma or the end of the line"
                + " after a closing quote, found 'x'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void gate_passesABetterChallenger_andRejectsWithExit1WhenAMarginIsMissed() {
        String reg = Fixtures.registry(tmp.resolve("registry")).toString();
        Jar.Result pass = Jar.run(tmp, "gate", "-r", reg, "--model", "fraud-scorer", "--challenger", "2", "--metric", "auc",
                "--holdout", "holdout-nov", "--margin", "0.01", "--signatures-compatible", "--lineage-complete").exits(0).quiet();
        assertTrue(pass.out().startsWith("PASSED fraud-scorer:2 against fraud-scorer:1\n"), pass::toString);
        assertContains(pass.out(), "  PASS auc@holdout-nov >= champion + 0.01: 0.934 ");

        JsonNode fail = Jar.run(tmp, "gate", "-r", reg, "--model", "fraud-scorer", "--challenger", "3",
                "--at-least", "auc@holdout-nov=0", "--signatures-compatible", "--json").exits(1).quiet().json();
        assertFalse(fail.get("passed").asBoolean());
        assertEquals("fraud-scorer:1", fail.get("champion").asText());
        assertEquals(List.of("FAIL", "PASS"), each(fail.get("criteria"), c -> c.get("verdict").asText()));
    }

    @Test
    void gate_trainingDriftAndShadow_passWithEvidence_andFailOnDriftOrMissingShadow() {
        String reg = Fixtures.registry(tmp.resolve("registry")).toString();
        String ref = tmp.resolve("reference.csv").toString();
        Jar.Result pass = Jar.run(tmp, "gate", "-r", reg, "--model", "fraud-scorer", "--challenger", "2",
                "--training-drift-at-most", "0.2", "--serving-reference", ref, "--training-data",
                tmp.resolve("current-same.csv").toString(), "--exclude", "id",
                "--shadow", "PT24H,100,0.9", "--shadow-summary", "PT30H,1000,960").exits(0).quiet();
        assertContains(pass.out(), "  PASS training data drift share <= 0.2: 0.0 ");
        assertContains(pass.out(), "  PASS shadow >= PT24H, >= 100 requests, agreement >= 0.9: agreement 0.96 over 1000");

        JsonNode fail = Jar.run(tmp, "gate", "-r", reg, "--model", "fraud-scorer", "--challenger", "2",
                "--training-drift-at-most", "0.2", "--serving-reference", ref, "--training-data",
                tmp.resolve("current-shifted.csv").toString(), "--exclude", "id", "--shadow", "PT24H,100,0.9",
                "--json").exits(1).quiet().json();
        assertEquals(List.of("FAIL", "MISSING"), each(fail.get("criteria"), c -> c.get("verdict").asText()));
        assertContains(fail.get("criteria").get(0).get("detail").asText(), "2 of 4 tested columns drifted");

        Jar.Result usage = Jar.run(tmp, "gate", "-r", reg, "--model", "fraud-scorer", "--challenger", "2",
                "--training-drift-at-most", "0.2", "--serving-reference", ref).exits(2);
        assertContains(usage.err(), "--training-drift-at-most needs --serving-reference and --training-data");
    }
}
