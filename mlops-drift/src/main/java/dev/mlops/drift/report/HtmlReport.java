package dev.mlops.drift.report;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.time.Instant;
import java.util.Locale;

/** Renders a {@link DriftReport} as HTML with inline CSS and SVG; nothing is loaded from elsewhere. */
final class HtmlReport {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 200;
    private static final int PAD_LEFT = 44;
    private static final int PAD_BOTTOM = 36;
    private static final String REF_COLOR = "#4c78a8";
    private static final String CUR_COLOR = "#f58518";
    /** Most code points of a category label under the chart. */
    private static final int MAX_LABEL = 12;

    private HtmlReport() {
    }

    static String render(DriftReport report, Instant createdAt) {
        DatasetDriftResult r = report.result();
        StringBuilder b = new StringBuilder(16_384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Drift report</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;")
                .append("margin:24px;color:#222;max-width:1100px}\n")
                .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 6px}\n")
                .append(".muted{color:#666;font-size:13px}\n")
                .append(".badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600}\n")
                .append(".drift{background:#fde2e1;color:#a4161a}.ok{background:#e3f4e6;color:#1b5e20}")
                .append(".na{background:#eee;color:#555}\n")
                .append("table{border-collapse:collapse;font-size:13px;margin-top:12px}")
                .append("th,td{border-bottom:1px solid #ddd;padding:5px 10px;text-align:right}")
                .append("th.l,td.l{text-align:left}th{background:#f6f6f6}\n")
                .append("svg text{font-size:10px;fill:#444}.legend span{display:inline-block;width:10px;height:10px;")
                .append("margin:0 4px 0 12px;vertical-align:middle}\n</style>\n</head>\n<body>\n");
        b.append("<h1>Drift report ").append(badge(r.drifted(), r.testedColumns() > 0)).append("</h1>\n");
        b.append("<p class=\"muted\">").append(esc(createdAt.toString())).append(" &middot; ")
                .append(r.driftedColumns()).append(" of ").append(r.testedColumns()).append(" tested columns drifted (share ")
                .append(String.format(Locale.ROOT, "%.2f", r.share())).append("; the dataset drifts at ")
                .append(String.format(Locale.ROOT, "%.2f", r.driftShare())).append(") &middot; correction: ")
                .append(esc(r.correction().name().toLowerCase(Locale.ROOT).replace('_', '-'))).append("</p>\n");

        b.append("<table>\n<tr><th class=\"l\">column</th><th class=\"l\">kind</th><th class=\"l\">method</th>")
                .append("<th>statistic</th><th>p-value</th>")
                .append("<th class=\"l\">drift when</th><th>verdict</th><th>reference n (missing)</th><th>current n (missing)</th></tr>\n");
        for (DriftReport.Column c : report.columns()) {
            ColumnDrift d = c.drift();
            b.append("<tr><td class=\"l\"><a href=\"#").append(anchor(d.column())).append("\">").append(esc(d.column()))
                    .append("</a></td><td class=\"l\">").append(c.numeric() ? "numeric" : "categorical")
                    .append("</td><td class=\"l\">").append(esc(d.method())).append("</td>");
            if (d.result().isPresent()) {
                DriftResult res = d.result().get();
                b.append("<td>").append(DriftReport.format(res.statistic())).append("</td><td>")
                        .append(res.pValue().isPresent() ? DriftReport.format(res.pValue().getAsDouble()) : "&ndash;")
                        .append("</td><td class=\"l\">").append(rule(res)).append("</td><td>")
                        .append(badge(d.drifted(), true)).append("</td><td>").append(res.referenceSize()).append(" (")
                        .append(res.referenceMissing()).append(")</td><td>").append(res.currentSize()).append(" (")
                        .append(res.currentMissing()).append(")</td>");
            } else {
                b.append("<td colspan=\"6\" class=\"l\">").append(esc(d.untestable().map(u -> u.detail()).orElseThrow())).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");

        for (DriftReport.Column c : report.columns()) {
            ColumnDrift d = c.drift();
            b.append("<section id=\"").append(anchor(d.column())).append("\">\n<h2>").append(esc(d.column())).append(' ')
                    .append(badge(d.drifted(), d.result().isPresent())).append("</h2>\n<p class=\"muted\">")
                    .append(esc(d.method()));
            d.result().ifPresent(res -> b.append(": statistic ").append(DriftReport.format(res.statistic()))
                    .append(res.pValue().isPresent() ? ", p-value " + DriftReport.format(res.pValue().getAsDouble()) : "")
                    .append(", drift when ").append(rule(res)));
            d.untestable().map(u -> u.detail()).ifPresent(problem -> b.append(": ").append(esc(problem)));
            if (d.unseenInReference() > 0) {
                b.append("; ").append(d.unseenInReference()).append(" current values in categories unseen in the reference");
            }
            b.append("</p>\n");
            histogram(b, c.histogram(), c.numeric());
            b.append("<div class=\"legend muted\"><span style=\"background:").append(REF_COLOR)
                    .append("\"></span>reference<span style=\"background:").append(CUR_COLOR)
                    .append("\"></span>current</div>\n</section>\n");
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private static String rule(DriftResult res) {
        String what = res.rule().usesPValue() ? "p" : "statistic";
        String op = switch (res.rule()) {
            case P_VALUE_BELOW -> "&lt;";
            case STATISTIC_ABOVE -> "&gt;";
            case P_VALUE_AT_MOST -> "&le;";
            case STATISTIC_AT_LEAST -> "&ge;";
        };
        return what + " " + op + " " + DriftReport.format(res.threshold());
    }

    /** Side-by-side bars of reference and current shares per bin, with a share axis. */
    private static void histogram(StringBuilder b, Histogram h, boolean numeric) {
        int bins = h.labels().size();
        b.append("<svg role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\">");
        if (bins == 0) {
            b.append("<text x=\"").append(PAD_LEFT).append("\" y=\"20\">no values to draw</text></svg>\n");
            return;
        }
        double[] ref = h.referenceShares();
        double[] cur = h.currentShares();
        double max = 0;
        for (int i = 0; i < bins; i++) {
            max = Math.max(max, Math.max(ref[i], cur[i]));
        }
        max = max == 0 ? 1 : max;
        double plotW = WIDTH - PAD_LEFT - 8;
        double plotH = HEIGHT - PAD_BOTTOM - 8;
        double slot = plotW / bins;
        double bar = Math.max(1, slot * 0.42);
        b.append("<line x1=\"").append(PAD_LEFT).append("\" y1=\"").append(fmt(8 + plotH)).append("\" x2=\"")
                .append(fmt(PAD_LEFT + plotW)).append("\" y2=\"").append(fmt(8 + plotH)).append("\" stroke=\"#999\"/>");
        for (int t = 0; t <= 2; t++) {
            double share = max * t / 2;
            double y = 8 + plotH - plotH * t / 2;
            b.append("<text x=\"").append(PAD_LEFT - 4).append("\" y=\"").append(fmt(y + 3))
                    .append("\" text-anchor=\"end\">").append(String.format(Locale.ROOT, "%.0f%%", share * 100)).append("</text>");
        }
        for (int i = 0; i < bins; i++) {
            double x = PAD_LEFT + i * slot + slot * 0.08;
            rect(b, x, ref[i] / max * plotH, bar, plotH, REF_COLOR, h.labels().get(i), "reference", ref[i]);
            rect(b, x + bar, cur[i] / max * plotH, bar, plotH, CUR_COLOR, h.labels().get(i), "current", cur[i]);
        }
        if (numeric) {
            b.append("<text x=\"").append(PAD_LEFT).append("\" y=\"").append(HEIGHT - 18).append("\">")
                    .append(esc(DriftReport.format(h.edges().get(0)))).append("</text><text x=\"").append(fmt(PAD_LEFT + plotW))
                    .append("\" y=\"").append(HEIGHT - 18).append("\" text-anchor=\"end\">")
                    .append(esc(DriftReport.format(h.edges().get(bins)))).append("</text>");
        } else {
            for (int i = 0; i < bins; i++) {
                String label = h.labels().get(i);
                boolean unseen = h.reference().get(i) == 0 && label.endsWith(Histogram.NEW_SUFFIX);
                if (unseen) {
                    label = label.substring(0, label.length() - Histogram.NEW_SUFFIX.length());
                }
                label = shorten(label, MAX_LABEL) + (unseen ? Histogram.NEW_SUFFIX : "");
                b.append("<text x=\"").append(fmt(PAD_LEFT + i * slot + slot / 2)).append("\" y=\"").append(HEIGHT - 18)
                        .append("\" text-anchor=\"middle\">").append(esc(label)).append("</text>");
            }
        }
        b.append("</svg>\n");
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

    private static void rect(StringBuilder b, double x, double height, double width, double plotH, String color,
            String label, String side, double share) {
        b.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(8 + plotH - height)).append("\" width=\"")
                .append(fmt(width)).append("\" height=\"").append(fmt(height)).append("\" fill=\"").append(color)
                .append("\"><title>").append(esc(label)).append(' ').append(side).append(' ')
                .append(String.format(Locale.ROOT, "%.2f%%", share * 100)).append("</title></rect>");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String badge(boolean drifted, boolean tested) {
        if (!tested) {
            return "<span class=\"badge na\">not tested</span>";
        }
        return drifted ? "<span class=\"badge drift\">drift</span>" : "<span class=\"badge ok\">no drift</span>";
    }

    private static String anchor(String column) {
        StringBuilder a = new StringBuilder("col-");
        for (char ch : column.toCharArray()) {
            a.append(Character.isLetterOrDigit(ch) && ch < 128 ? ch : '_');
        }
        return a.append('-').append(Integer.toHexString(column.hashCode())).toString();
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
