package dev.mlops.drift.report;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One column's chart: the reference and current shares of each of the column's bins as paired bars, in
 * inline SVG, with a legend, a share axis and a value or category axis, both titled and ticked with nice
 * numbers. Interval bins are drawn on a linear value axis (whole-number bins ticked at whole numbers);
 * categories and single values get one band each, labels turned when they do not fit and thinned when
 * they would touch. A categorical chart shows the {@value #MAX_BANDS} largest categories by their larger
 * share, the rest in one bar. Stateless and thread-safe.
 */
final class Histogram {
    static final String REF_COLOR = "#4c78a8";
    static final String CUR_COLOR = "#f58518";
    /** Most bars of a categorical chart, the last one the rest. */
    static final int MAX_BANDS = 20;
    static final int WIDTH = 600;
    private static final int PLOT_HEIGHT = 180;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 34;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    /** About the width of one character of 11 px sans-serif text. */
    private static final double CHAR_PX = 6.6;
    /** Widest bar, so that a few categories do not make slabs. */
    private static final double MAX_BAR = 34;
    /** Most code points of a band label. */
    private static final int MAX_LABEL = 16;

    private Histogram() {
    }

    /** A bar pair: its label (or the interval it covers), the two counts, and whether the reference never saw it. */
    private record Bar(String label, boolean unseen, long reference, long current, double lo, double hi) {
    }

    static void draw(StringBuilder b, ColumnDrift column) {
        BinCounts bins = column.bins();
        long refTotal = bins.reference().stream().mapToLong(Long::longValue).sum();
        long curTotal = bins.current().stream().mapToLong(Long::longValue).sum();
        if (bins.size() == 0 || refTotal + curTotal == 0) {
            b.append("<p class=\"muted\">no values to draw</p>\n");
            return;
        }
        boolean intervals = bins.intervals();
        boolean wholeBins = intervals && wholeNumberBins(column, bins);
        List<Bar> bars = bars(column, bins, refTotal, curTotal);
        double maxShare = 0;
        for (Bar bar : bars) {
            maxShare = Math.max(maxShare, Math.max(share(bar.reference, refTotal), share(bar.current, curTotal)));
        }
        double yStep = Numbers.step(maxShare * 100, 4, false);
        double yTop = yStep == 0 ? 100 : Math.ceil(maxShare * 100 / yStep - 1e-9) * yStep;
        int yTicks = yStep == 0 ? 1 : (int) Math.round(yTop / yStep);

        // x labels decide the height below the plot
        double slot = PLOT_WIDTH / (double) bars.size();
        List<String> bandLabels = new ArrayList<>();
        int longest = 0;
        if (!intervals) {
            for (Bar bar : bars) {
                String l = HtmlReport.shorten(bar.label, MAX_LABEL);
                bandLabels.add(l);
                longest = Math.max(longest, l.codePointCount(0, l.length()) + (bar.unseen ? 6 : 0));
            }
        }
        boolean turned = !intervals && longest * CHAR_PX > slot - 4;
        int every = turned ? (int) Math.ceil(15 / slot) : 1;
        int labelHeight = !turned ? 16 : (int) Math.ceil(longest * CHAR_PX * 0.64 + 12);
        int height = TOP + PLOT_HEIGHT + 8 + labelHeight + 22;
        double baseline = TOP + PLOT_HEIGHT;

        b.append("<svg class=\"chart\" role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\"><title>")
                .append(HtmlReport.esc(column.column())).append(": reference and current share per bin</title>");
        legend(b, refTotal, curTotal);
        // share axis: grid lines, ticks, title
        for (int t = 0; t <= yTicks; t++) {
            double value = t * yStep;
            double y = baseline - PLOT_HEIGHT * value / yTop;
            b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(px(y))
                    .append("\" y2=\"").append(px(y)).append("\" class=\"grid\"/>");
            b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(px(y + 4)).append("\" text-anchor=\"end\">")
                    .append(Numbers.number(value)).append("%</text>");
        }
        b.append("<text class=\"axis\" transform=\"translate(14,").append(px(TOP + PLOT_HEIGHT / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\">share of values</text>");

        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x0;
            double x1;
            if (intervals) {
                x0 = x(bar.lo, bins);
                x1 = x(bar.hi, bins);
            } else {
                x0 = LEFT + i * slot;
                x1 = x0 + slot;
            }
            double w = Math.max(0.5, Math.min(MAX_BAR, (x1 - x0) * 0.38));
            double gap = (x1 - x0 - 2 * w) / 2;
            String what = intervals ? interval(bar, wholeBins) : bar.label + (bar.unseen ? " (new)" : "");
            rect(b, x0 + gap, w, PLOT_HEIGHT * share(bar.reference, refTotal) * 100 / yTop, baseline, REF_COLOR);
            tooltip(b, what, bar, refTotal, curTotal);
            rect(b, x0 + gap + w, w, PLOT_HEIGHT * share(bar.current, curTotal) * 100 / yTop, baseline, CUR_COLOR);
            tooltip(b, what, bar, refTotal, curTotal);
        }
        b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(px(baseline))
                .append("\" y2=\"").append(px(baseline)).append("\" class=\"axisline\"/>");

        double labelY = baseline + 16;
        if (intervals) {
            double lo = bins.edges().get(0);
            double hi = bins.edges().get(bins.size());
            for (double t : Numbers.ticks(lo, hi, 6, wholeBins)) {
                double x = x(t, bins);
                b.append("<line x1=\"").append(px(x)).append("\" x2=\"").append(px(x)).append("\" y1=\"").append(px(baseline))
                        .append("\" y2=\"").append(px(baseline + 4)).append("\" class=\"axisline\"/>");
                b.append("<text x=\"").append(px(x)).append("\" y=\"").append(px(labelY)).append("\" text-anchor=\"middle\">")
                        .append(Numbers.number(t)).append("</text>");
            }
        } else {
            for (int i = 0; i < bars.size(); i += every) {
                double x = LEFT + (i + 0.5) * slot;
                String label = HtmlReport.esc(bandLabels.get(i));
                String mark = bars.get(i).unseen ? "<tspan class=\"new\"> (new)</tspan>" : "";
                if (turned) {
                    b.append("<text transform=\"translate(").append(px(x + 3)).append(',').append(px(baseline + 12))
                            .append(") rotate(-40)\" text-anchor=\"end\">").append(label).append(mark).append("</text>");
                } else {
                    b.append("<text x=\"").append(px(x)).append("\" y=\"").append(px(labelY)).append("\" text-anchor=\"middle\">")
                            .append(label).append(mark).append("</text>");
                }
            }
        }
        b.append("<text class=\"axis\" x=\"").append(px(LEFT + PLOT_WIDTH / 2.0)).append("\" y=\"").append(height - 6)
                .append("\" text-anchor=\"middle\">").append(HtmlReport.esc(axisTitle(column, bins, bars, wholeBins)))
                .append("</text></svg>\n");
    }

    private static void legend(StringBuilder b, long refTotal, long curTotal) {
        int x = LEFT;
        String ref = "reference (" + Numbers.number(refTotal) + " values)";
        String cur = "current (" + Numbers.number(curTotal) + " values)";
        b.append("<rect class=\"key\" x=\"").append(x).append("\" y=\"8\" width=\"11\" height=\"11\" fill=\"").append(REF_COLOR)
                .append("\"/><text x=\"").append(x + 16).append("\" y=\"18\">").append(ref).append("</text>");
        int x2 = x + 16 + (int) Math.ceil(ref.length() * CHAR_PX) + 18;
        b.append("<rect class=\"key\" x=\"").append(x2).append("\" y=\"8\" width=\"11\" height=\"11\" fill=\"").append(CUR_COLOR)
                .append("\"/><text x=\"").append(x2 + 16).append("\" y=\"18\">").append(cur).append("</text>");
    }

    private static String axisTitle(ColumnDrift column, BinCounts bins, List<Bar> bars, boolean wholeBins) {
        String name = HtmlReport.shorten(column.column(), 48);
        if (!column.numeric()) {
            return name + (bars.size() < bins.size() ? " (the " + (MAX_BANDS - 1) + " largest categories, then the rest)"
                    : " (category)");
        }
        if (!bins.intervals()) {
            return name + " (one bar per value)";
        }
        if (wholeBins) {
            double width = bins.edges().get(1) - bins.edges().get(0);
            return name + (width == 1 ? " (one bar per whole number)" : " (" + Numbers.number(width) + " whole numbers per bar)");
        }
        return name;
    }

    /** The bars in drawing order; categories sorted by their larger share, the tail pooled. */
    private static List<Bar> bars(ColumnDrift column, BinCounts bins, long refTotal, long curTotal) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < bins.size(); i++) {
            long r = bins.reference().get(i);
            long c = bins.current().get(i);
            if (bins.intervals()) {
                bars.add(new Bar(bins.labels().get(i), false, r, c, bins.edges().get(i), bins.edges().get(i + 1)));
            } else if (column.numeric()) {
                bars.add(new Bar(Numbers.number(Double.parseDouble(bins.labels().get(i))), r == 0, r, c, 0, 0));
            } else {
                bars.add(new Bar(bins.labels().get(i), r == 0, r, c, 0, 0));
            }
        }
        if (column.numeric()) {
            return bars;
        }
        bars.sort(Comparator.comparingDouble((Bar bar) -> -Math.max(share(bar.reference, refTotal), share(bar.current, curTotal)))
                .thenComparing(Bar::label));
        if (bars.size() <= MAX_BANDS) {
            return bars;
        }
        List<Bar> shown = new ArrayList<>(bars.subList(0, MAX_BANDS - 1));
        long r = 0;
        long c = 0;
        for (Bar bar : bars.subList(MAX_BANDS - 1, bars.size())) {
            r += bar.reference;
            c += bar.current;
        }
        shown.add(new Bar("(" + Numbers.number(bars.size() - MAX_BANDS + 1) + " others)", false, r, c, 0, 0));
        return shown;
    }

    /** Bins of whole numbers: edges halfway between integers on a column of whole numbers. */
    private static boolean wholeNumberBins(ColumnDrift column, BinCounts bins) {
        if (!(column.reference() instanceof ColumnProfile.Numeric r && r.integral()
                && column.current() instanceof ColumnProfile.Numeric c && c.integral())) {
            return false;
        }
        for (double e : bins.edges()) {
            if (e - Math.floor(e) != 0.5) {
                return false;
            }
        }
        return true;
    }

    private static String interval(Bar bar, boolean wholeBins) {
        if (wholeBins) {
            double first = bar.lo + 0.5;
            double last = bar.hi - 0.5;
            return first == last ? Numbers.number(first) : Numbers.number(first) + " to " + Numbers.number(last);
        }
        return Numbers.number(bar.lo) + " to " + Numbers.number(bar.hi);
    }

    /** The position of {@code v} on the value axis; computed on halves, so a range past Double.MAX_VALUE stays finite. */
    private static double x(double v, BinCounts bins) {
        double lo = bins.edges().get(0) / 2;
        double hi = bins.edges().get(bins.size()) / 2;
        return LEFT + (hi == lo ? 0.5 : (v / 2 - lo) / (hi - lo)) * PLOT_WIDTH;
    }

    private static double share(long count, long total) {
        return total == 0 ? 0 : count / (double) total;
    }

    private static void rect(StringBuilder b, double x, double w, double h, double baseline, String color) {
        b.append("<rect x=\"").append(px(x)).append("\" y=\"").append(px(baseline - h)).append("\" width=\"").append(px(w))
                .append("\" height=\"").append(px(h)).append("\" fill=\"").append(color).append("\">");
    }

    private static void tooltip(StringBuilder b, String what, Bar bar, long refTotal, long curTotal) {
        b.append("<title>").append(HtmlReport.esc(what)).append(": reference ")
                .append(Numbers.percent(share(bar.reference, refTotal))).append(" (").append(Numbers.number(bar.reference))
                .append("), current ").append(Numbers.percent(share(bar.current, curTotal))).append(" (")
                .append(Numbers.number(bar.current)).append(")</title></rect>");
    }

    static String px(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
