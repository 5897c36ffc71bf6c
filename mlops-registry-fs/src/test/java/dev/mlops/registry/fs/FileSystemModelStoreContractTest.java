package dev.mlops.registry.fs;

import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.tck.ModelStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;

/** Runs the published kit against {@link FileSystemModelStore}, each test in a fresh directory. */
class FileSystemModelStoreContractTest extends ModelStoreContract {
    private final TempDirs dirs = new TempDirs();

    @Override
    protected ModelStore newStore() {
        return FileSystemModelStore.open(dirs.create());
    }

    @Override
    protected ModelStore newStore(InstantSource clock) {
        return FileSystemModelStore.builder(dirs.create()).clock(clock).build();
    }

    private Path objectOf(ModelRef.ByVersion ref) {
        FileSystemModelStore s = (FileSystemModelStore) store();
        return new Layout(s.directory()).object(s.get(ref).digest());
    }

    @Override
    protected void corruptArtifact(ModelRef.ByVersion ref) {
        Path file = objectOf(ref);
        try {
            file.toFile().setWritable(true);
            byte[] bytes = Files.readAllBytes(file);
            bytes[Math.min(4321, bytes.length - 1)] ^= 1;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void replaceArtifact(ModelRef.ByVersion ref, byte[] bytes) {
        Path file = objectOf(ref);
        try {
            file.toFile().setWritable(true);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    @AfterProperty
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }
}
