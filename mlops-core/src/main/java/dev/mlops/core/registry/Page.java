package dev.mlops.core.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the items, in listing order
 * @param next the request for the following page, empty on the last page
 * @param <T> item type
 */
public record Page<T>(List<T> items, Optional<PageRequest> next) {
    /**
     * Copies the parts.
     *
     * @param items the items, in listing order
     * @param next the request for the following page, empty on the last page
     */
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }
}
