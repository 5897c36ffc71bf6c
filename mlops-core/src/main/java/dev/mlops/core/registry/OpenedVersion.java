package dev.mlops.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A version resolved and opened in one step: the exact version whose bytes the stream gives, even when
 * the reference was an alias that has moved since. Close it to close the stream.
 *
 * <pre>{@code
 * try (OpenedVersion champion = store.openVersion(ModelRef.alias("fraud-scorer", "champion"))) {
 *     scorer = Scorer.load(champion.stream());
 *     log.info("serving {}", champion.version().ref());
 * }
 * }</pre>
 *
 * @param version the version that was opened
 * @param stream its artifact's bytes, checked for size and digest as they are read (see
 *     {@link ModelStore#open(ModelRef)})
 */
public record OpenedVersion(ModelVersion version, InputStream stream) implements AutoCloseable {
    /**
     * Checks the parts.
     *
     * @param version the version that was opened
     * @param stream its artifact's bytes, checked for size and digest as they are read (see {@link
     *     ModelStore#open(ModelRef)})
     */
    public OpenedVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(stream, "stream");
    }

    /** Closes the stream. */
    @Override
    public void close() {
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the artifact stream of " + version.ref() + " failed", e);
        }
    }
}
