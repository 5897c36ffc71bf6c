package dev.mlops.examples;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * A synthetic, seeded card-transaction data set: log amount, hour of day, a foreign-card flag and the
 * account's age, with fraud drawn from a known logistic model. Written as CSV so that its bytes can be
 * hashed into the lineage of the models trained on it.
 */
final class Transactions {
    static final String[] FEATURES = {"log_amount", "night", "foreign", "account_years"};

    final double[][] x;
    final int[] y;

    private Transactions(double[][] x, int[] y) {
        this.x = x;
        this.y = y;
    }

    static Transactions generate(int rows, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[rows][];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double logAmount = 3.5 + 1.2 * r.nextGaussian();
            double night = r.nextDouble() < 0.25 ? 1 : 0;
            double foreign = r.nextDouble() < 0.1 ? 1 : 0;
            double accountYears = Math.abs(4 + 3 * r.nextGaussian());
            double z = -4.0 + 0.6 * (logAmount - 3.5) + 1.1 * night + 1.8 * foreign - 0.25 * accountYears;
            x[i] = new double[] {logAmount, night, foreign, accountYears};
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        return new Transactions(x, y);
    }

    Transactions rows(int from, int to) {
        return new Transactions(java.util.Arrays.copyOfRange(x, from, to), java.util.Arrays.copyOfRange(y, from, to));
    }

    /**
     * @return only the first {@code k} feature columns
     */
    Transactions firstFeatures(int k) {
        double[][] cut = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            cut[i] = java.util.Arrays.copyOf(x[i], k);
        }
        return new Transactions(cut, y);
    }

    int size() {
        return y.length;
    }

    byte[] csv() {
        StringBuilder b = new StringBuilder(String.join(",", FEATURES)).append(",fraud\n");
        for (int i = 0; i < y.length; i++) {
            for (double v : x[i]) {
                b.append(String.format(Locale.ROOT, "%.6f,", v));
            }
            b.append(y[i]).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
