package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.serving.LiveModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link LiveModel} on a filesystem store follows alias moves that another store on the same
 * directory makes (what another process does), when its store polls; and its rollback reaches them.
 */
class LiveModelFollowTest {
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    @Test
    void followsMovesMadeThroughAnotherStore_onPoll() {
        Path dir = dirs.create();
        try (FileSystemModelStore serving = FileSystemModelStore.open(dir);
                FileSystemModelStore deployer = FileSystemModelStore.open(dir)) {
            for (String text : new String[] {"v1", "v2", "v3"}) {
                deployer.register(NewVersion.builder("m").artifact(text.getBytes(StandardCharsets.UTF_8)).build());
            }
            deployer.setAlias("m", "champion", 1, AliasExpect.absent());
            try (LiveModel<String> live = LiveModel.follow(serving, "m", "champion",
                    (version, bytes) -> new String(bytes.readAllBytes(), StandardCharsets.UTF_8))) {
                deployer.setAlias("m", "champion", 3, AliasExpect.current(1));
                assertEquals("v1", live.apply(m -> m), "not heard before the serving store polls");
                serving.poll();
                assertEquals("v3", live.apply(m -> m));
                live.rollback(ChangeNote.by("oncall").because("bad"));
                assertEquals("v1", live.apply(m -> m));
                assertEquals(1, deployer.get(ModelRef.alias("m", "champion")).version(), "the deployer sees it too");
            }
        }
    }
}
