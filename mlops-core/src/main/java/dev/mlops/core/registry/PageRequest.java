package dev.mlops.core.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * Which page of a newest-first listing to return. Pages are keyed by position, not offset, so a
 * version registered between two calls never makes a page repeat or skip an entry.
 *
 * <pre>{@code
 * Page<ModelVersion> page = store.versions("fraud-scorer", PageRequest.first(50));
 * while (page.next().isPresent()) page = store.versions("fraud-scorer", page.next().get());
 * }</pre>
 *
 * @param size at most this many items, 1 to {@value #MAX_SIZE}
 * @param after the token of the previous page, empty for the first page
 */
public record PageRequest(int size, Optional<String> after) {
    /** The largest page. */
    public static final int MAX_SIZE = 1000;

    /**
     * Validates the parts.
     *
     * @param size at most this many items, 1 to {@value #MAX_SIZE}
     * @param after the token of the previous page, empty for the first page
     */
    public PageRequest {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("page size must be 1 to " + MAX_SIZE + ", was " + size);
        }
        Objects.requireNonNull(after, "after").ifPresent(t -> Texts.check("page token", t, 1, 400));
    }

    /**
     * @param size page size
     * @return the first page
     */
    public static PageRequest first(int size) {
        return new PageRequest(size, Optional.empty());
    }

    /**
     * @param token a token from {@link Page#next()}'s request
     * @param size page size
     * @return the page after that token
     */
    public static PageRequest after(String token, int size) {
        return new PageRequest(size, Optional.of(token));
    }

    /**
     * @param model the model being listed
     * @return the version number below which this page starts: {@link Long#MAX_VALUE} for the first page
     * @throws IllegalArgumentException when the token was not issued for this model by a store
     */
    public long startBelow(String model) {
        if (after.isEmpty()) {
            return Long.MAX_VALUE;
        }
        String t = after.get();
        String prefix = model + ":";
        if (t.startsWith(prefix)) {
            String digits = t.substring(prefix.length());
            if (!digits.isEmpty() && digits.length() <= 18 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                long v = Long.parseLong(digits);
                if (v >= 1) {
                    return v;
                }
            }
        }
        throw new IllegalArgumentException("page token " + dev.mlops.core.Names.quote(t)
                + " was not issued by a model store for a listing of " + model);
    }

    /**
     * The token of the page after one that ended at {@code lastVersion}: {@code model:lastVersion}. A
     * shared format, so that a token stays valid across stores of the same data.
     *
     * @param model the model being listed
     * @param lastVersion the last version on a page
     * @return the token that continues after it
     */
    public static String tokenAfter(String model, long lastVersion) {
        return model + ":" + lastVersion;
    }
}
