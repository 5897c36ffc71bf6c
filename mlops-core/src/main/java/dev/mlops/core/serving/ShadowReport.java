package dev.mlops.core.serving;

import java.time.Duration;

/**
 * What shadow traffic showed so far: how often the challenger answered like the champion, and, on the
 * shadowed requests whose outcome arrived, how much better or worse it did, with a 95% confidence
 * interval (normal approximation). Deltas are challenger minus champion; NaN when undefined.
 *
 * @param observed time since the shadow started
 * @param shadowed requests the challenger answered beside the champion
 * @param agreements of those, answered alike (same class, or scores within the tolerance)
 * @param challengerFailures requests the challenger failed on (an exception), not counted as answered
 * @param labeled shadowed requests whose outcome arrived
 * @param metric what the deltas measure: {@code accuracy} (binary) or {@code mean absolute error} (regression)
 * @param delta challenger's metric minus champion's, on the labeled requests
 * @param deltaLow the interval's lower end
 * @param deltaHigh the interval's upper end
 */
public record ShadowReport(Duration observed, long shadowed, long agreements, long challengerFailures, long labeled,
        String metric, double delta, double deltaLow, double deltaHigh) {

    /** @return the share of shadowed requests answered alike, NaN before any */
    public double agreement() {
        return shadowed == 0 ? Double.NaN : (double) agreements / shadowed;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "shadow for %s: %d requests, agreement %.4f, %d failed; %s delta %+.4f [%+.4f, %+.4f] on %d labeled",
                observed, shadowed, agreement(), challengerFailures, metric, delta, deltaLow, deltaHigh, labeled);
    }
}
