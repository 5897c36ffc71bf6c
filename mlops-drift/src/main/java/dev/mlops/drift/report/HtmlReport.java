package dev.mlops.drift.report;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders a {@link DriftReport} as one HTML page with inline CSS and SVG; nothing is loaded from elsewhere.
 * Every text that comes from data (column names, categories, header fields, details) passes {@link #esc}.
 */
final class HtmlReport {
    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** Most new categories listed by name under a column. */
    private static final int MAX_UNSEEN = 10;

    private static final String CSS = ""
            + "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px;"
            + "color:#1f2328;max-width:1120px;font-size:14px;line-height:1.4}\n"
            + "h1{font-size:24px;margin:0 0 6px}h2{font-size:18px;margin:0 0 4px}\n"
            + ".muted{color:#59636e;font-size:13px}.meta b{font-weight:600;color:#1f2328}\n"
            + ".headline{margin:14px 0 6px;padding:10px 14px;border-radius:6px;font-size:17px;font-weight:600}\n"
            + ".headline.drift{background:#fde2e1;color:#8a1116}.headline.ok{background:#e3f4e6;color:#14532d}"
            + ".headline.na{background:#eee;color:#444}\n"
            + ".badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;"
            + "vertical-align:middle}\n"
            + ".badge.drift{background:#fde2e1;color:#a4161a}.badge.ok{background:#e3f4e6;color:#1b5e20}"
            + ".badge.na{background:#eee;color:#555}\n"
            + "table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #e1e4e8;padding:4px 9px;"
            + "text-align:right;white-space:nowrap}th{background:#f6f8fa;font-weight:600}"
            + "th.l,td.l{text-align:left}\n"
            + "table.summary{margin:10px 0 8px}td.why{white-space:normal;color:#59636e;text-align:left}\n"
            + "section{border-top:1px solid #d0d7de;margin-top:22px;padding-top:14px}\n"
            + ".row{display:flex;gap:20px;align-items:flex-start;flex-wrap:wrap;margin-top:8px}\n"
            + ".side{display:flex;flex-direction:column;gap:10px}\n"
            + "svg.chart text{font-size:11px;fill:#444}svg.chart text.axis{font-size:12px;fill:#1f2328}"
            + "svg.chart .grid{stroke:#eaeef2}svg.chart .axisline{stroke:#8c959f}svg.chart tspan.new{fill:#a4161a}\n"
            + "a{color:#0969da}\n";

    private HtmlReport() {
    }

    static String render(DriftReport report) {
        DatasetDriftResult r = report.result();
        ReportHeader h = report.header();
        StringBuilder b = new StringBuilder(32_768);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Drift report: ").append(esc(h.dataset())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        b.append("<h1>Drift report: ").append(esc(h.dataset())).append("</h1>\n<p class=\"meta muted\">");
        List<String> meta = new ArrayList<>();
        h.model().ifPresent(m -> meta.add("model <b>" + esc(m) + "</b>"));
        h.window().ifPresent(w -> meta.add("current data <b>" + time(w.start()) + "</b> to <b>" + time(w.end()) + "</b>"));
        h.reference().ifPresent(ref -> meta.add("reference <b>" + esc(ref) + "</b>"));
        meta.add("created " + time(h.createdAt()));
        b.append(String.join(" &middot; ", meta)).append("</p>\n");
        String tone = r.testedColumns() == 0 ? "na" : r.drifted() ? "drift" : "ok";
        b.append("<div class=\"headline ").append(tone).append("\">").append(esc(report.headline())).append("</div>\n");
        b.append("<p class=\"muted\">Each column is tested on its own; ")
                .append(r.correction() == Correction.NONE ? "no multiple-testing correction"
                        : esc(DriftReport.lower(r.correction())) + " correction, thresholds below are the corrected ones")
                .append(". Columns are sorted drifted first, then by effect: the share of values that changed bin ")
                .append("(total variation distance over the charted bins; 0% the same, 100% disjoint). Shares are of ")
                .append("non-missing values.</p>\n");

        summary(b, report);
        int index = 0;
        for (DriftReport.Column c : report.columns()) {
            column(b, c, index++);
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static void summary(StringBuilder b, DriftReport report) {
        b.append("<table class=\"summary\">\n<tr><th class=\"l\">column</th><th class=\"l\">kind</th><th class=\"l\">test</th>")
                .append("<th>statistic</th><th>p-value</th><th class=\"l\">drift when</th><th>effect</th><th>verdict</th>")
                .append("<th>values (ref / cur)</th><th>missing (ref / cur)</th></tr>\n");
        int index = 0;
        for (DriftReport.Column c : report.columns()) {
            ColumnDrift d = c.drift();
            b.append("<tr><td class=\"l\"><a href=\"#col-").append(index++).append("\">").append(esc(shorten(d.column(), 40)))
                    .append("</a></td><td class=\"l\">").append(kind(d)).append("</td><td class=\"l\">")
                    .append(esc(d.method())).append("</td>");
            if (d.result().isPresent()) {
                DriftResult res = d.result().get();
                b.append("<td>").append(Numbers.number(res.statistic())).append("</td><td>")
                        .append(res.pValue().isPresent() ? Numbers.number(res.pValue().getAsDouble()) : "&ndash;")
                        .append("</td><td class=\"l\">").append(rule(res)).append("</td><td>").append(effect(c))
                        .append("</td><td>").append(badge(c)).append("</td>");
            } else {
                Untestable u = d.untestable().orElseThrow();
                b.append("<td colspan=\"3\" class=\"why\">").append(esc(DriftReport.lower(u.reason()))).append("</td><td>")
                        .append(effect(c)).append("</td><td>").append(badge(c)).append("</td>");
            }
            b.append("<td>").append(Numbers.number(d.reference().count())).append(" / ")
                    .append(Numbers.number(d.current().count())).append("</td><td>")
                    .append(Numbers.percent(d.reference().missingShare())).append(" / ")
                    .append(Numbers.percent(d.current().missingShare())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void column(StringBuilder b, DriftReport.Column c, int index) {
        ColumnDrift d = c.drift();
        b.append("<section id=\"col-").append(index).append("\">\n<h2>").append(esc(d.column())).append(' ')
                .append(badge(c)).append("</h2>\n<p class=\"muted\">").append(kind(d)).append(" &middot; ")
                .append(esc(d.method()));
        if (d.result().isPresent()) {
            DriftResult res = d.result().get();
            b.append(": statistic ").append(Numbers.number(res.statistic()));
            res.pValue().ifPresent(p -> b.append(", p-value ").append(Numbers.number(p)));
            b.append(", drift when ").append(rule(res));
        } else {
            Untestable u = d.untestable().orElseThrow();
            b.append(": <b>not tested, ").append(esc(DriftReport.lower(u.reason()))).append("</b>: ").append(esc(u.detail()));
        }
        b.append(" &middot; effect ").append(effect(c)).append(" &middot; ")
                .append(d.binnedByTest() ? "chart: the " + Numbers.number(d.bins().size()) + " bins the test counted"
                        : "chart: display bins (" + (d.result().isPresent() ? "the test reads the values, not bins"
                                : "the column was not tested") + ")")
                .append("</p>\n<div class=\"row\">\n");
        Histogram.draw(b, d);
        b.append("<div class=\"side\">\n");
        profiles(b, d);
        if (!d.numeric()) {
            categories(b, d);
        }
        b.append("</div>\n</div>\n</section>\n");
    }

    /** Reference and current side by side: the summaries people check first. */
    private static void profiles(StringBuilder b, ColumnDrift d) {
        Map<String, Function<ColumnProfile, String>> rows = new LinkedHashMap<>();
        rows.put("values", p -> Numbers.number(p.count()));
        rows.put("missing", p -> Numbers.number(p.missing()) + " (" + Numbers.percent(p.missingShare()) + ")");
        rows.put("distinct", p -> Numbers.number(p.distinct()));
        if (d.numeric()) {
            rows.put("mean", p -> numeric(p, n -> n.mean()));
            rows.put("std", p -> numeric(p, n -> n.std()));
            rows.put("min", p -> numeric(p, n -> n.min()));
            List<Double> levels = ColumnProfile.QUANTILE_LEVELS;
            for (int i = 0; i < levels.size(); i++) {
                int q = i;
                String name = levels.get(i) == 0.5 ? "median" : Numbers.percent(levels.get(i));
                rows.put(name, p -> numeric(p, n -> n.quantiles().get(q)));
            }
            rows.put("max", p -> numeric(p, n -> n.max()));
        }
        b.append("<table class=\"stats\"><tr><th class=\"l\"></th><th>reference</th><th>current</th></tr>\n");
        for (Map.Entry<String, Function<ColumnProfile, String>> e : rows.entrySet()) {
            b.append("<tr><td class=\"l\">").append(e.getKey()).append("</td><td>").append(e.getValue().apply(d.reference()))
                    .append("</td><td>").append(e.getValue().apply(d.current())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static String numeric(ColumnProfile p, java.util.function.ToDoubleFunction<ColumnProfile.Numeric> f) {
        ColumnProfile.Numeric n = (ColumnProfile.Numeric) p;
        return n.count() == 0 || n.quantiles().isEmpty() ? "&ndash;" : Numbers.number(f.applyAsDouble(n));
    }

    /** Top categories of either side with both shares, then the categories the reference never saw. */
    private static void categories(StringBuilder b, ColumnDrift d) {
        ColumnProfile.Categorical ref = (ColumnProfile.Categorical) d.reference();
        ColumnProfile.Categorical cur = (ColumnProfile.Categorical) d.current();
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (ColumnProfile.CategoryCount t : ref.top()) {
            counts.computeIfAbsent(t.category(), k -> new long[] {-1, -1})[0] = t.count();
        }
        for (ColumnProfile.CategoryCount t : cur.top()) {
            counts.computeIfAbsent(t.category(), k -> new long[] {-1, -1})[1] = t.count();
        }
        // a category in one side's top list only: its other count is in the bins, which hold every category
        BinCounts bins = d.bins();
        for (int i = 0; i < bins.size(); i++) {
            long[] c = counts.get(bins.labels().get(i));
            if (c != null) {
                c[0] = c[0] < 0 ? bins.reference().get(i) : c[0];
                c[1] = c[1] < 0 ? bins.current().get(i) : c[1];
            }
        }
        b.append("<table class=\"stats\"><tr><th class=\"l\">top categories</th><th>reference</th><th>current</th></tr>\n");
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            b.append("<tr><td class=\"l\">").append(esc(shorten(e.getKey(), 32))).append("</td><td>")
                    .append(c[0] < 0 || ref.count() == 0 ? "&ndash;" : Numbers.percent(share(c[0], ref.count())))
                    .append("</td><td>")
                    .append(c[1] < 0 || cur.count() == 0 ? "&ndash;" : Numbers.percent(share(c[1], cur.count())))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
        if (!d.unseen().isEmpty()) {
            b.append("<table class=\"stats\"><tr><th class=\"l\">new in current</th><th>values</th><th>share</th></tr>\n");
            for (ColumnProfile.CategoryCount u : d.unseen().subList(0, Math.min(MAX_UNSEEN, d.unseen().size()))) {
                b.append("<tr><td class=\"l\">").append(esc(shorten(u.category(), 32))).append("</td><td>")
                        .append(Numbers.number(u.count())).append("</td><td>")
                        .append(Numbers.percent(share(u.count(), cur.count()))).append("</td></tr>\n");
            }
            if (d.unseen().size() > MAX_UNSEEN) {
                long rest = 0;
                for (ColumnProfile.CategoryCount u : d.unseen().subList(MAX_UNSEEN, d.unseen().size())) {
                    rest += u.count();
                }
                b.append("<tr><td class=\"l\">").append(Numbers.number(d.unseen().size() - MAX_UNSEEN))
                        .append(" more</td><td>").append(Numbers.number(rest)).append("</td><td>")
                        .append(Numbers.percent(share(rest, cur.count()))).append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
    }

    private static double share(long count, long total) {
        return total == 0 ? 0 : count / (double) total;
    }

    private static String kind(ColumnDrift d) {
        if (!d.numeric()) {
            return "categorical";
        }
        boolean whole = ((ColumnProfile.Numeric) d.reference()).integral() && ((ColumnProfile.Numeric) d.current()).integral();
        return whole ? "numeric (whole)" : "numeric";
    }

    private static String effect(DriftReport.Column c) {
        return c.effect().isPresent() ? Numbers.percent(c.effect().getAsDouble()) : "&ndash;";
    }

    private static String rule(DriftResult res) {
        String what = res.rule().usesPValue() ? "p" : "statistic";
        String op = switch (res.rule()) {
            case P_VALUE_BELOW -> "&lt;";
            case STATISTIC_ABOVE -> "&gt;";
            case P_VALUE_AT_MOST -> "&le;";
            case STATISTIC_AT_LEAST -> "&ge;";
        };
        return what + " " + op + " " + Numbers.number(res.threshold());
    }

    private static String badge(DriftReport.Column c) {
        String css = c.drift().result().isEmpty() ? "na" : c.drift().drifted() ? "drift" : "ok";
        return "<span class=\"badge " + css + "\">" + c.verdict() + "</span>";
    }

    private static String time(Instant t) {
        return (t.getEpochSecond() % 60 == 0 && t.getNano() == 0 ? MINUTES : SECONDS).format(t);
    }

    /**
     * At most {@code max} code points, the last an ellipsis when cut; counts code points, not chars, so
     * that a character outside the Basic Multilingual Plane (an emoji) is never split into a lone
     * surrogate, which no encoder can write.
     */
    static String shorten(String label, int max) {
        if (label.codePointCount(0, label.length()) <= max) {
            return label;
        }
        return label.substring(0, label.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    /**
     * Text for HTML (element content and quoted attributes alike): markup characters become entities;
     * control characters and the bidirectional controls that could reorder what people read are shown
     * as visible escapes such as {@code \u0007}; a lone surrogate becomes U+FFFD, so the page can always
     * be encoded.
     */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(ch).append(s.charAt(++i));
                    } else if (Character.isSurrogate(ch)) {
                        out.append('\uFFFD');
                    } else if (Character.isISOControl(ch) || (ch >= '\u202A' && ch <= '\u202E')
                            || (ch >= '\u2066' && ch <= '\u2069') || ch == '\u200E' || ch == '\u200F') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
