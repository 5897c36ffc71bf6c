package dev.mlops.examples;

import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.DatasetReference;
import dev.mlops.drift.report.DriftReport;
import dev.mlops.drift.report.ReportHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;

/**
 * Checks a week of production traffic against the training data of the fraud model, column by column,
 * and writes the drift report as JSON and as one self-contained HTML page.
 *
 * <p>Run it with {@code mvn -B -q -pl mlops-examples -am package -DskipTests exec:java
 * -Dexec.mainClass=dev.mlops.examples.DriftReportExample -Dexec.args=target}; the argument is the folder
 * to write {@code drift-report.html} and {@code drift-report.json} to.
 */
public final class DriftReportExample {
    private DriftReportExample() {
    }

    /**
     * @param args the output folder (default {@code target})
     */
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "target");
        DriftReport report = run(Instant.parse("2026-11-27T12:00:00Z"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("drift-report.html"), report.toHtml());
            Files.writeString(dir.resolve("drift-report.json"), report.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the report to " + dir + " failed", e);
        }
        for (DriftReport.Column column : report.columns()) {
            ColumnDrift c = column.drift();
            System.out.printf(Locale.ROOT, "%-14s %-19s %-10s %s%n", c.column(), c.method(), column.verdict(),
                    c.result().map(x -> String.format(Locale.ROOT, "statistic %.4f", x.statistic()))
                            .orElseGet(() -> c.untestable().orElseThrow().detail()));
        }
        System.out.printf(Locale.ROOT, "%s%nreport in %s%n", report.headline(), dir.resolve("drift-report.html"));
    }

    static DriftReport run(Instant now) {
        // At training time: prepare the reference once and keep it as JSON beside the model.
        String saved = DatasetReference.of(traffic(20_000, 1, false)).toJson();
        // On a replica: only the JSON and this week's traffic are at hand.
        DatasetReference reference = DatasetReference.fromJson(saved);
        Dataset current = traffic(5_000, 2, true);
        DatasetDriftResult result = DatasetDrift.against(reference).detect(current);
        // The result carries each column's profiles and bins: the report needs no data handed back in.
        return DriftReport.of(result, ReportHeader.builder("card transactions", now)
                .model(ModelRef.of("fraud-scorer", 7))
                .window(Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-27T00:00:00Z"))
                .reference("training data, October 2026")
                .build());
    }

    /**
     * Transactions as the service sees them; the shifted week has larger amounts, more foreign cards, a new
     * market, and lost its promotion codes to a broken upstream job.
     */
    private static Dataset traffic(int rows, long seed, boolean shifted) {
        Random r = new Random(seed);
        double[] logAmount = new double[rows];
        double[] hour = new double[rows];
        double[] accountYears = new double[rows];
        double[] items = new double[rows];
        String[] country = new String[rows];
        String[] device = new String[rows];
        String[] promo = new String[rows];
        String[] markets = {"de", "fr", "nl", "it", "es"};
        for (int i = 0; i < rows; i++) {
            logAmount[i] = 3.5 + (shifted ? 0.4 : 0) + 1.2 * r.nextGaussian();
            hour[i] = Math.floorMod((int) Math.round(14 + 5 * r.nextGaussian()), 24);
            accountYears[i] = r.nextInt(50) == 0 ? Double.NaN : Math.abs(4 + 3 * r.nextGaussian());
            items[i] = 1 + Math.min(11, (int) Math.abs(2.5 * r.nextGaussian()));
            country[i] = shifted && r.nextInt(5) == 0 ? "pl" : markets[Math.min(4, (int) Math.abs(1.3 * r.nextGaussian()))];
            device[i] = r.nextInt(3) == 0 ? "ios" : r.nextBoolean() ? "android" : "web";
            promo[i] = shifted || r.nextInt(4) != 0 ? null : "P" + r.nextInt(6);
        }
        return Dataset.builder()
                .numeric("log_amount", logAmount)
                .numeric("hour", hour)
                .numeric("account_years", accountYears)
                .numeric("items", items)
                .categorical("country", country)
                .categorical("device", device)
                .categorical("promo_code", promo)
                .build();
    }
}
