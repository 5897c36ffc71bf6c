package dev.mlops.drift.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The report's one number format, and the tick values of its chart axes. Every number a person reads in
 * the HTML goes through {@link #number(double)}: four significant digits (whole numbers never rounded),
 * trailing zeros dropped, thousands grouped with commas, and scientific notation ({@code 1.235e-7}) only
 * below {@code 1e-4} or, for fractions, from {@code 1e9}. Stateless and thread-safe.
 */
final class Numbers {
    private static final int DIGITS = 4;
    private static final MathContext SIGNIFICANT = new MathContext(DIGITS, RoundingMode.HALF_EVEN);

    private Numbers() {
    }

    /**
     * @param v any double
     * @return {@code v} for people: {@code "0.0125"}, {@code "3.512"}, {@code "20,000"}, {@code "1.2e-7"},
     *     {@code "∞"}, {@code "n/a"} for NaN
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "\u221e" : "-\u221e";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return group(new BigDecimal(v).toPlainString());
        }
        if (a < 1e-4 || a >= 1e9) {
            BigDecimal d = new BigDecimal(v).round(SIGNIFICANT);
            int exponent = d.precision() - d.scale() - 1;
            BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + exponent;
        }
        BigDecimal d = new BigDecimal(v);
        // whole digits are kept: 123456.7 reads 123,457, not 123,500
        int whole = a >= 1 ? (int) Math.floor(Math.log10(a)) + 1 : 0;
        BigDecimal rounded = whole >= DIGITS ? d.setScale(0, RoundingMode.HALF_EVEN) : d.round(SIGNIFICANT);
        String plain = rounded.stripTrailingZeros().toPlainString();
        return group(plain);
    }

    /**
     * @param share a share in [0, 1]
     * @return it as a percentage in the one number format, {@code "22.22%"}
     */
    static String percent(double share) {
        return number(share * 100) + "%";
    }

    /** Commas every three whole digits. */
    private static String group(String plain) {
        int start = plain.startsWith("-") ? 1 : 0;
        int dot = plain.indexOf('.');
        int end = dot < 0 ? plain.length() : dot;
        if (end - start <= 3) {
            return plain;
        }
        StringBuilder b = new StringBuilder(plain.length() + 6).append(plain, 0, start);
        for (int i = start; i < end; i++) {
            if (i > start && (end - i) % 3 == 0) {
                b.append(',');
            }
            b.append(plain.charAt(i));
        }
        return b.append(plain, end, plain.length()).toString();
    }

    /**
     * Nice tick values (1, 2 or 5 times a power of ten apart) inside {@code [lo, hi]}, about {@code target}
     * of them; each a multiple of the step computed as {@code k * step}, so no rounding error accumulates.
     *
     * @param lo the axis start
     * @param hi the axis end, at least {@code lo}
     * @param target the number of ticks wanted
     * @param integers whether ticks must be whole numbers (a step of at least 1)
     * @return the ticks, ascending; {@code lo} and {@code hi} alone when no nice step fits
     */
    static double[] ticks(double lo, double hi, int target, boolean integers) {
        double range = hi - lo;
        // a range past Double.MAX_VALUE is measured in halves, which are finite
        double step = Double.isInfinite(range) ? 2 * step(hi / 2 - lo / 2, target, integers)
                : step(range, target, integers);
        if (!(step > 0) || Double.isInfinite(step) || Math.max(Math.abs(lo), Math.abs(hi)) / step > 1e12) {
            return lo == hi ? new double[] {lo} : new double[] {lo, hi};
        }
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        double[] out = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (first + i) * step;
        }
        return out;
    }

    /**
     * @param range the span to divide, at least 0
     * @param target about how many steps
     * @param integers whether the step must be a whole number
     * @return a step of 1, 2 or 5 times a power of ten
     */
    static double step(double range, int target, boolean integers) {
        if (!(range > 0) || Double.isInfinite(range)) {
            return integers ? 1 : 0;
        }
        double raw = range / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / magnitude;
        double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
        return integers ? Math.max(1, Math.rint(step)) : step;
    }
}
