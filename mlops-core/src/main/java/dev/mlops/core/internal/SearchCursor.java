package dev.mlops.core.internal;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.Environment;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.VersionQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a page of search results ends, as a page token every store writes and reads the same way: the
 * sort key of the page's last result, so that the next page starts strictly after it whatever was
 * registered or deleted meanwhile (keyset paging), and bound to the query's order, so that a token is
 * never read under another order.
 *
 * <p>Forms: {@code s1|new|<epoch second>|<nano>|<model>|<version>} for newest first and
 * {@code s1|<hi or lo>|<metric>|<value bits in hex>|<model>|<version>} for a metric order.
 */
public final class SearchCursor {
    private static final Lineage NO_LINEAGE = new Lineage(Optional.empty(), false, List.of(), List.of(),
            Optional.empty(), new Environment("", "", "", Map.of()));
    private static final Sha256 NO_DIGEST = Sha256.ofUtf8("");

    private SearchCursor() {
    }

    /**
     * @param order the query's order
     * @param last the last result of a page
     * @return the token of the page after it
     */
    public static String tokenAfter(VersionQuery.Order order, ModelVersion last) {
        String position = last.model() + "|" + last.version();
        if (order.metric().isEmpty()) {
            return "s1|new|" + last.createdAt().getEpochSecond() + "|" + last.createdAt().getNano() + "|" + position;
        }
        String metric = order.metric().get();
        return "s1|" + (order.highestFirst() ? "hi" : "lo") + "|" + metric + "|"
                + Long.toHexString(Double.doubleToLongBits(last.metrics().get(metric))) + "|" + position;
    }

    /**
     * A stand-in for the last result of the previous page: a version with the same sort key, to start
     * after in the order's sorted sets.
     *
     * @param order the query's order
     * @param page the page asked for
     * @return empty for the first page
     * @throws IllegalArgumentException when the token was not issued by a search in this order
     */
    public static Optional<ModelVersion> after(VersionQuery.Order order, PageRequest page) {
        if (page.after().isEmpty()) {
            return Optional.empty();
        }
        String token = page.after().get();
        String[] parts = token.split("\\|", -1);
        try {
            if (parts.length == 6 && parts[0].equals("s1")) {
                String model = Names.checkModel(parts[4]);
                long version = Long.parseLong(parts[5]);
                if (order.metric().isEmpty() && parts[1].equals("new")) {
                    Instant at = Instant.ofEpochSecond(Long.parseLong(parts[2]), Long.parseLong(parts[3]));
                    return Optional.of(probe(model, version, at, Map.of()));
                }
                if (order.metric().isPresent() && parts[1].equals(order.highestFirst() ? "hi" : "lo")
                        && parts[2].equals(order.metric().get())) {
                    double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[3], 16));
                    if (Double.isFinite(value)) {
                        return Optional.of(probe(model, version, Instant.EPOCH, Map.of(parts[2], value)));
                    }
                }
            }
        } catch (RuntimeException malformed) {
            // fall through to the one message below: a token is opaque to its reader
        }
        throw new IllegalArgumentException("page token " + Names.quote(token) + " was not issued by a search ordered "
                + (order.metric().isEmpty() ? "newest first" : (order.highestFirst() ? "by highest " : "by lowest ")
                        + order.metric().get()));
    }

    /**
     * Merges what each model gave for one page of a search (each at most {@code page.size() + 1} of its
     * own matches after the page's position, in the query's order) into the page, with the request for
     * the next one when more matches follow: the one merge rule every store uses.
     *
     * @param query the search
     * @param page the page asked for
     * @param perModelHits every model's matches, in any order
     * @return the page
     */
    public static Page<ModelVersion> page(VersionQuery query, PageRequest page, List<ModelVersion> perModelHits) {
        List<ModelVersion> hits = new java.util.ArrayList<>(perModelHits);
        hits.sort(query.order().comparator());
        if (hits.size() <= page.size()) {
            return new Page<>(hits, Optional.empty());
        }
        List<ModelVersion> items = List.copyOf(hits.subList(0, page.size()));
        return new Page<>(items, Optional.of(PageRequest.after(tokenAfter(query.order(), items.get(items.size() - 1)),
                page.size())));
    }

    private static ModelVersion probe(String model, long version, Instant at, Map<String, Double> metrics) {
        return new ModelVersion(model, version, NO_DIGEST, 0, at, "search-cursor", "", Map.of(), Map.of(), metrics, NO_LINEAGE,
                Signature.none(), 1);
    }
}
