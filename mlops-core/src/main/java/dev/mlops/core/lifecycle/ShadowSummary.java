package dev.mlops.core.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * What shadow traffic showed of a challenger beside the champion, for a {@link PromotionGate}.
 *
 * @param observed how long the challenger has received shadow traffic
 * @param requests how many requests both answered
 * @param agreements how many of those they answered alike (same class, or scores within the shadow's tolerance)
 */
public record ShadowSummary(Duration observed, long requests, long agreements) {
    /**
     * Checks the parts.
     *
     * @param observed how long the challenger has received shadow traffic
     * @param requests how many requests both answered
     * @param agreements how many of those they answered alike (same class, or scores within the shadow's tolerance)
     */
    public ShadowSummary {
        Objects.requireNonNull(observed, "observed");
        if (observed.isNegative() || requests < 0 || agreements < 0 || agreements > requests) {
            throw new IllegalArgumentException("a shadow summary needs observed >= 0 and 0 <= agreements <= requests;"
                    + " had " + observed + ", " + agreements + " of " + requests);
        }
    }

    /** @return the share of requests answered alike, NaN with no requests */
    public double agreement() {
        return requests == 0 ? Double.NaN : (double) agreements / requests;
    }
}
