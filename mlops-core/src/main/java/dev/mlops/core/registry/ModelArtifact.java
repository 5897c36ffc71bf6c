package dev.mlops.core.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
     * @return the artifact
     */
    static ModelArtifact of(Path file) {
        Objects.requireNonNull(file, "file");
        return () -> Files.newInputStream(file);
    }

    /**
     * @param bytes the artifact's bytes; copied
     * @return the artifact
     */
    static ModelArtifact ofBytes(byte[] bytes) {
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return () -> new ByteArrayInputStream(copy);
    }

    /**
     * @param source opens the stream; called once per registration
     * @return the artifact
     */
    static ModelArtifact fromStream(ModelArtifact source) {
        return Objects.requireNonNull(source, "source");
    }
}
