package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.drift.report.DriftReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DriftReportExampleTest {
    @Test
    void run_findsTheShiftedAmountAndTheNewMarket_andNamesTheLostPromoCodes() {
        DriftReport report = DriftReportExample.run(Instant.parse("2026-11-27T12:00:00Z"));
        Map<String, String> verdicts = report.columns().stream()
                .collect(Collectors.toMap(c -> c.drift().column(), DriftReport.Column::verdict));
        assertEquals(Map.of("log_amount", "drift", "hour", "no drift", "account_years", "no drift", "items", "no drift",
                "country", "drift", "device", "no drift", "promo_code", "not tested"), verdicts);
        List<String> order = report.columns().stream().map(c -> c.drift().column()).toList();
        assertEquals(List.of("country", "log_amount"), order.subList(0, 2).stream().sorted().toList(), "drifted first");
        assertEquals("promo_code", order.get(order.size() - 1), "untested last");
        ColumnDrift promo = report.columns().get(order.size() - 1).drift();
        assertEquals(Untestable.Reason.NO_CURRENT_VALUES, promo.untestable().orElseThrow().reason());
        assertEquals("Dataset: no drift (2 of 6 tested columns drifted, 33.33%; the dataset drifts at 50% or more;"
                + " 1 column not tested)", report.headline());
        String html = report.toHtml();
        assertTrue(html.contains("card transactions") && html.contains("fraud-scorer:7"), "the header names both");
    }
}
