package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.drift.report.DriftReport;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DriftReportExampleTest {
    @Test
    void run_findsTheShiftedAmountAndTheNewMarket_andNothingElse() {
        DriftReport report = DriftReportExample.run(Instant.parse("2026-11-27T12:00:00Z"));
        Map<String, Boolean> drifted = report.result().columns().stream()
                .collect(Collectors.toMap(ColumnDrift::column, ColumnDrift::drifted));
        assertEquals(Map.of("log_amount", true, "hour", false, "account_years", false, "country", true, "device", false),
                drifted);
        assertTrue(report.toHtml().contains("log_amount"));
    }
}
