package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.serving.LiveModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link LiveModel} on a PostgreSQL store follows alias moves made by another host (another store
 * with its own pool on the same database): on the serving store's poll, or by itself when the store
 * polls on the application's scheduler; and its rollback is seen by the other host.
 */
class LiveModelFollowTest {

    @Test
    void followsMovesMadeByAnotherHost_onPoll_andRollsBackForEveryone() {
        String schema = TestDatabase.freshSchema();
        try (PostgresModelStore serving = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build();
                PostgresModelStore deployer = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build()) {
            for (String text : new String[] {"v1", "v2", "v3"}) {
                deployer.register(NewVersion.builder("m").artifact(text.getBytes(StandardCharsets.UTF_8)).build());
            }
            deployer.setAlias("m", "champion", 1, AliasExpect.absent());
            try (LiveModel<String> live = LiveModel.follow(serving, "m", "champion",
                    (version, bytes) -> new String(bytes.readAllBytes(), StandardCharsets.UTF_8))) {
                assertEquals("v1", live.apply(m -> m));
                deployer.setAlias("m", "champion", 3, AliasExpect.current(1));
                assertEquals("v1", live.apply(m -> m), "not heard before the serving store polls");
                serving.poll();
                assertEquals("v3", live.apply(m -> m));
                live.rollback(ChangeNote.by("oncall").because("bad"));
                assertEquals("v1", live.apply(m -> m));
                assertEquals(1, deployer.get(ModelRef.alias("m", "champion")).version(), "the other host sees it");
            }
        }
    }

    @Test
    void followsMovesMadeByAnotherHost_whenTheStorePollsOnASchedule() throws InterruptedException {
        String schema = TestDatabase.freshSchema();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (PostgresModelStore serving = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema)
                        .pollEvery(scheduler, Duration.ofMillis(20)).build();
                PostgresModelStore deployer = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build()) {
            deployer.register(NewVersion.builder("m").artifact("v1".getBytes(StandardCharsets.UTF_8)).build());
            deployer.register(NewVersion.builder("m").artifact("v2".getBytes(StandardCharsets.UTF_8)).build());
            deployer.setAlias("m", "champion", 1, AliasExpect.absent());
            CountDownLatch swapped = new CountDownLatch(1);
            try (LiveModel<String> live = LiveModel.builder(serving, "m", "champion",
                    (version, bytes) -> new String(bytes.readAllBytes(), StandardCharsets.UTF_8))
                    .listener(new LiveModel.Listener() {
                        @Override
                        public void swapped(ModelVersion from, ModelVersion to) {
                            swapped.countDown();
                        }
                    }).build()) {
                deployer.setAlias("m", "champion", 2, AliasExpect.current(1));
                assertTrue(swapped.await(10, TimeUnit.SECONDS), "the move was not followed within 10 s");
                assertEquals("v2", live.apply(m -> m));
                assertEquals(2, live.version().version());
            }
        } finally {
            scheduler.shutdownNow();
        }
    }
}
