package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.StoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user reads when a lookup or a registration finds nothing: the kind of reference, and the path. */
class RegistryMessagesTest {
    private final InMemoryModelStore store = new InMemoryModelStore();

    @Test
    void anUnsetAlias_saysSo() {
        store.register(NewVersion.builder("fraud").artifact(new byte[] {1}).build());
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> store.get(ModelRef.alias("fraud", "champion")));
        assertTrue(e.getMessage().startsWith("alias fraud@champion is not set"), e.getMessage());
    }

    @Test
    void aMissingVersion_andAModelWithoutVersions_areNamed() {
        store.register(NewVersion.builder("fraud").artifact(new byte[] {1}).build());
        ModelNotFoundException version = assertThrows(ModelNotFoundException.class,
                () -> store.get(ModelRef.of("fraud", 9)));
        assertEquals("no live model version fraud:9 (never registered, or deleted)", version.getMessage());
        ModelNotFoundException latest = assertThrows(ModelNotFoundException.class,
                () -> store.get(ModelRef.latest("churn")));
        assertTrue(latest.getMessage().startsWith("model churn has no live version"), latest.getMessage());
    }

    @Test
    void aMissingArtifactFile_isNamedByItsAbsolutePath(@TempDir Path dir) {
        Path missing = dir.resolve("models").resolve("model.bin");
        StoreException e = assertThrows(StoreException.class,
                () -> store.register(NewVersion.builder("fraud").artifact(missing).build()));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such model artifact file"), e.getMessage());
        assertTrue(store.models().isEmpty(), "nothing registered");
    }
}
