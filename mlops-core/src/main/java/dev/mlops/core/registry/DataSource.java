package dev.mlops.core.registry;

import dev.mlops.core.Sha256;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A data set a model version was trained or evaluated on.
 *
 * @param uri where the data lives ({@code s3://bucket/nov.parquet}, {@code file:/data/train.csv})
 * @param sha256 the digest of the data's bytes, when known
 * @param rows how many rows were used, when known (at least 0)
 */
public record DataSource(URI uri, Optional<Sha256> sha256, OptionalLong rows) {
    /**
     * Validates the parts.
     *
     * @param uri where the data lives ({@code s3://bucket/nov.parquet}, {@code file:/data/train.csv})
     * @param sha256 the digest of the data's bytes, when known
     * @param rows how many rows were used, when known (at least 0)
     */
    public DataSource {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(rows, "rows");
        if (rows.isPresent() && rows.getAsLong() < 0) {
            throw new IllegalArgumentException("rows of " + uri + " must be >= 0, was " + rows.getAsLong());
        }
        Texts.check("data source URI", uri.toString(), 1, 2000);
    }

    /**
     * @param uri where the data lives
     * @param sha256 the digest of its bytes
     * @param rows rows used
     * @return the data source
     */
    public static DataSource of(URI uri, Sha256 sha256, long rows) {
        return new DataSource(uri, Optional.of(sha256), OptionalLong.of(rows));
    }
}
