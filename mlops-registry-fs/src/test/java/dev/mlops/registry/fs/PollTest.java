package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.NewVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Other stores' changes reach a store's listeners in the journal's order: on {@code poll()}, on the
 * application's scheduler, or ahead of the store's own next change. (Other processes: {@link MultiProcessTest}.)
 */
class PollTest {
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    @Test
    void poll_deliversOtherStoresChanges_inJournalOrder_once() {
        Path dir = dirs.create();
        try (FileSystemModelStore a = FileSystemModelStore.open(dir); FileSystemModelStore b = FileSystemModelStore.open(dir)) {
            List<ModelStoreEvent> heard = new CopyOnWriteArrayList<>();
            a.subscribe(heard::add);
            b.register(NewVersion.builder("m").artifact(Scenario.utf8("1")).build());
            b.register(NewVersion.builder("n").artifact(Scenario.utf8("2")).build());
            b.setAlias("m", "champion", 1, AliasExpect.absent());
            assertTrue(heard.isEmpty(), "nothing is heard before a poll: " + heard);

            assertEquals(3, a.poll());
            assertEquals(b.events(0, 10), heard);
            assertEquals(0, a.poll(), "each event once");
            assertEquals(3, heard.size());

            b.register(NewVersion.builder("m").artifact(Scenario.utf8("3")).build());
            a.setAlias("m", "champion", 2, AliasExpect.current(1));
            assertEquals(b.events(0, 10), heard, "the other store's change is heard before this store's own, which follows it");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), heard.stream().map(ModelStoreEvent::sequence).toList());
        }
    }

    @Test
    void pollEvery_pollsOnTheApplicationsScheduler_untilTheStoreCloses() throws InterruptedException {
        Path dir = dirs.create();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (FileSystemModelStore b = FileSystemModelStore.open(dir)) {
            CountDownLatch moved = new CountDownLatch(1);
            FileSystemModelStore a = FileSystemModelStore.builder(dir).pollEvery(scheduler, Duration.ofMillis(10)).build();
            a.subscribe(e -> {
                if (e instanceof ModelStoreEvent.AliasMoved) {
                    moved.countDown();
                }
            });
            b.register(NewVersion.builder("m").artifact(Scenario.utf8("1")).build());
            b.setAlias("m", "champion", 1, AliasExpect.absent());
            assertTrue(moved.await(30, TimeUnit.SECONDS), "a scheduled poll delivered the move");
            a.close();
            assertThrows(IllegalStateException.class, a::poll);
        } finally {
            scheduler.shutdown();
            assertTrue(scheduler.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void pollEvery_refusesNonPositiveDelays() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            FileSystemModelStore.Builder b = FileSystemModelStore.builder(dirs.create());
            assertThrows(IllegalArgumentException.class, () -> b.pollEvery(scheduler, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> b.pollEvery(scheduler, Duration.ofMillis(-1)));
        } finally {
            scheduler.shutdown();
        }
    }
}
