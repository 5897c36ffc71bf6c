package dev.mlops.core.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of a model to register, as a source that a store opens once and streams: a store never
 * needs the artifact to fit in memory (the in-memory store aside).
 *
 * <pre>{@code
 * ModelArtifact.of(Path.of("model.bin"));
 * ModelArtifact.ofBytes(serialized);
 * ModelArtifact.fromStream(() -> s3.getObject(bucket, key));
 * }</pre>
 */
@FunctionalInterface
public interface ModelArtifact {
    /**
     * @return a new stream over the artifact's bytes; the store closes it
     * @throws IOException when the source cannot be read
     */
    InputStream openStream() throws IOException;

    /**
     * @param file a regular file, read when the version is registered
     * @return the artifact; when the file is missing at registration, the store's error names its
     *     absolute path
     */
    static ModelArtifact of(Path file) {
        Objects.requireNonNull(file, "file");
        return () -> {
            try {
                return Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(file.toAbsolutePath().toString(), null, "no such model artifact file");
            }
        };
    }

    /**
     * @param bytes the artifact's bytes; <b>not copied</b>, so that registering a large model from memory
     *     holds no extra copy: the store reads (and hashes, and keeps or writes) them when
     *     {@code register} runs; do not change the array until it returns
     * @return the artifact
     */
    static ModelArtifact ofBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return () -> new ByteArrayInputStream(bytes);
    }

    /**
     * @param source opens the stream; called once per registration (exceptionally twice: a store that finds
     *     identical bytes stored, and then deleted by a concurrent {@code gc} before it could reference them,
     *     reads the artifact again; it must give the same bytes)
     * @return the artifact
     */
    static ModelArtifact fromStream(ModelArtifact source) {
        return Objects.requireNonNull(source, "source");
    }
}
