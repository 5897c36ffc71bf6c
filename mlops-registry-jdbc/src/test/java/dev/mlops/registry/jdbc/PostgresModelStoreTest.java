package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.StoreException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelArtifact;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the kit cannot see: two stores on one database (two hosts), migrations, chunking, failures. */
class PostgresModelStoreTest {
    private final List<String> schemas = new ArrayList<>();
    private final List<PostgresModelStore> stores = new ArrayList<>();

    private String schema() {
        String s = TestDatabase.freshSchema();
        schemas.add(s);
        return s;
    }

    /** A store on {@code schema}, as another host with its own pool would open it. */
    private PostgresModelStore open(String schema) {
        PostgresModelStore s = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build();
        stores.add(s);
        return s;
    }

    @AfterEach
    void cleanUp() {
        stores.forEach(PostgresModelStore::close);
        schemas.forEach(TestDatabase::dropSchema);
    }

    private static NewVersion version(String model, String content) {
        return NewVersion.builder(model).artifact(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aSecondStore_onTheSameTables_seesChangesAtOnce_andHearsThemOnPoll_inSequenceOrder() throws Exception {
        String schema = schema();
        PostgresModelStore hostA = open(schema);
        PostgresModelStore hostB = open(schema);
        List<ModelStoreEvent> heardByB = Collections.synchronizedList(new ArrayList<>());
        List<ModelStoreEvent> heardByA = Collections.synchronizedList(new ArrayList<>());
        hostB.subscribe(heardByB::add);
        hostA.subscribe(heardByA::add);

        ModelVersion v1 = hostA.register(version("fraud", "one"));
        hostA.setAlias("fraud", "champion", 1, AliasExpect.absent());

        assertEquals(v1, hostB.get(ModelRef.latest("fraud")), "the other host reads the change at once");
        assertEquals(1, hostB.get(ModelRef.alias("fraud", "champion")).version());
        assertArrayEquals("one".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                hostB.open(ModelRef.alias("fraud", "champion")).readAllBytes());
        assertTrue(heardByB.isEmpty(), "another host's events arrive on poll");
        assertEquals(2, hostB.poll());
        assertEquals(List.of(1L, 2L), heardByB.stream().map(ModelStoreEvent::sequence).toList());
        assertTrue(heardByB.get(1) instanceof ModelStoreEvent.AliasMoved);
        assertEquals(0, hostB.poll());

        hostA.register(version("fraud", "two"));
        ModelVersion v3 = hostB.register(version("fraud", "three"));
        assertEquals(3, v3.version(), "numbering continues across hosts");
        assertEquals(List.of(1L, 2L, 3L, 4L), heardByB.stream().map(ModelStoreEvent::sequence).toList(),
                "the other host's change is heard before this host's next own change");
        hostA.setAlias("fraud", "champion", 3, AliasExpect.current(1));
        assertEquals(3, hostB.get(ModelRef.alias("fraud", "champion")).version());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), heardByA.stream().map(ModelStoreEvent::sequence).toList());
        assertEquals(heardByA.subList(0, 4), heardByB, "both hosts hear one sequence");
        assertEquals(heardByA, hostB.events(0, 100));
    }

    @Test
    void twoStores_withTwoThreadsEach_registeringIntoOneModel_numberExactlyOneToN() throws Exception {
        String schema = schema();
        List<PostgresModelStore> hosts = List.of(open(schema), open(schema));
        int threadsPerHost = 2;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size() * threadsPerHost);
        try {
            CyclicBarrier start = new CyclicBarrier(hosts.size() * threadsPerHost);
            List<Future<List<Long>>> results = new ArrayList<>();
            for (PostgresModelStore host : hosts) {
                for (int t = 0; t < threadsPerHost; t++) {
                    String id = "h" + hosts.indexOf(host) + "t" + t;
                    results.add(pool.submit(() -> {
                        start.await();
                        List<Long> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            mine.add(host.register(version("shared", id + "-" + i)).version());
                        }
                        return mine;
                    }));
                }
            }
            TreeSet<Long> all = new TreeSet<>();
            for (Future<List<Long>> f : results) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            int n = hosts.size() * threadsPerHost * each;
            assertEquals(n, all.size(), "no number given twice");
            assertEquals(1L, all.first());
            assertEquals(n, all.last(), "no gaps");
            List<ModelStoreEvent> events = hosts.get(1).events(0, 10_000);
            assertEquals(n, events.size(), "one event per change");
            for (int i = 0; i < n; i++) {
                assertEquals(i + 1, events.get(i).sequence(), "a gap-free sequence");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void racingCompareAndSet_fromTwoStores_hasExactlyOneWinnerPerRound() throws Exception {
        String schema = schema();
        PostgresModelStore hostA = open(schema);
        PostgresModelStore hostB = open(schema);
        hostA.register(version("m", "1"));
        hostA.setAlias("m", "champion", 1, AliasExpect.absent());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                long current = hostA.get(ModelRef.alias("m", "champion")).version();
                long a = hostA.register(version("m", "a" + round)).version();
                long b = hostB.register(version("m", "b" + round)).version();
                CyclicBarrier start = new CyclicBarrier(2);
                List<Callable<Long>> calls = List.of(
                        () -> {
                            start.await();
                            return hostA.setAlias("m", "champion", a, AliasExpect.current(current)).to().getAsLong();
                        },
                        () -> {
                            start.await();
                            return hostB.setAlias("m", "champion", b, AliasExpect.current(current)).to().getAsLong();
                        });
                List<Long> winners = new ArrayList<>();
                for (Future<Long> f : pool.invokeAll(calls)) {
                    try {
                        winners.add(f.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertTrue(e.getCause() instanceof ConcurrentUpdateException, e.getCause().toString());
                    }
                }
                assertEquals(1, winners.size(), "round " + round + ": exactly one compare-and-set wins");
                assertEquals(winners.get(0), hostB.get(ModelRef.alias("m", "champion")).version());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void opening_createsTheTablesOnce_andANewerSchemaVersionIsRefused_withAClearMessage() throws Exception {
        String schema = schema();
        open(schema).register(version("m", "1"));
        open(schema);
        assertEquals(Migrations.CURRENT, count("SELECT count(*) FROM \"" + schema + "\".mlops_schema_version"));
        assertEquals(Migrations.CURRENT, count("SELECT max(version) FROM \"" + schema + "\".mlops_schema_version"));

        int newer = Migrations.CURRENT + 1;
        TestDatabase.execute("INSERT INTO \"" + schema + "\".mlops_schema_version (version) VALUES (" + newer + ")");
        StoreException e = assertThrows(StoreException.class, () -> open(schema));
        assertTrue(e.getMessage().contains("schema version " + newer + ", newer than version " + Migrations.CURRENT),
                e.getMessage());
        assertTrue(e.getMessage().contains("schema \"" + schema + "\""), e.getMessage());
    }

    @Test
    void requireExisting_refusesMissingTables_creatingNothing_andOpensExistingOnes() throws Exception {
        String schema = schema();
        StoreException e = assertThrows(StoreException.class, () -> PostgresModelStore.builder(TestDatabase.dataSource())
                .schema(schema).requireExisting().build());
        assertTrue(e.getMessage().contains("no mlops tables (schema \"" + schema + "\", table prefix \"mlops_\")"),
                e.getMessage());
        assertEquals(0, count("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'"), "no schema made");

        open(schema).register(version("m", "1"));
        assertThrows(StoreException.class, () -> PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                .tablePrefix("typo_").requireExisting().build());
        try (PostgresModelStore existing = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                .requireExisting().build()) {
            assertEquals(1, existing.get(ModelRef.latest("m")).version());
        }
        assertThrows(IllegalStateException.class, () -> PostgresModelStore.builder(TestDatabase.dataSource())
                .requireExisting().requireExisting());
    }

    @Test
    void aRoleThatMayOnlyReadAndWriteTheTables_opensAMigratedStore_andWritesToIt() {
        String schema = schema();
        open(schema).register(version("m", "1"));
        String role = "app_" + schema;
        TestDatabase.execute("CREATE ROLE " + role + " LOGIN");
        try {
            TestDatabase.execute("GRANT USAGE ON SCHEMA \"" + schema + "\" TO " + role);
            TestDatabase.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA \"" + schema + "\" TO " + role);
            TestDatabase.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA \"" + schema + "\" TO " + role);
            try (PostgresModelStore app = PostgresModelStore.builder(TestDatabase.dataSourceAs(role)).schema(schema)
                    .build()) {
                assertEquals(2, app.register(version("m", "2")).version());
                app.setAlias("m", "champion", 2, AliasExpect.absent());
                assertEquals(2, app.get(ModelRef.alias("m", "champion")).version());
            }
        } finally {
            TestDatabase.execute("DROP OWNED BY " + role);
            TestDatabase.execute("DROP ROLE " + role);
        }
    }

    @Test
    void tablePrefixes_keepTwoStoresInOneSchemaApart() {
        String schema = schema();
        PostgresModelStore first = open(schema);
        PostgresModelStore second = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                .tablePrefix("other_").build();
        stores.add(second);
        first.register(version("m", "1"));
        assertTrue(second.find(ModelRef.latest("m")).isEmpty());
        assertEquals(1, second.register(version("m", "x")).version());
        assertEquals(1, first.models().size());
    }

    @Test
    void anArtifactOfSeveralChunks_isStoredInChunkRows_andReadBackVerified() throws Exception {
        String schema = schema();
        PostgresModelStore store = open(schema);
        byte[] bytes = new byte[PostgresModelStore.CHUNK * 2 + 12_345];
        new Random(13).nextBytes(bytes);
        ModelVersion v = store.register(NewVersion.builder("big").artifact(ModelArtifact.fromStream(
                () -> new java.io.ByteArrayInputStream(bytes))).build());
        assertEquals(bytes.length, v.size());
        assertEquals(3, count("SELECT count(*) FROM \"" + schema + "\".mlops_artifact_chunks"));
        try (InputStream in = store.open(v.ref())) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        store.register(NewVersion.builder("copy").artifact(bytes).build());
        assertEquals(3, count("SELECT count(*) FROM \"" + schema + "\".mlops_artifact_chunks"),
                "identical bytes are stored once");
    }

    @Test
    void sqlFailures_becomeStoreExceptions_whoseMessagesAndCausesNeverCarryThePassword() {
        String secret = "hunter2-s3cret";
        DataSource failing = new FailingDataSource(new SQLException("could not connect to jdbc:postgresql://db.internal:5432"
                + "/registry?user=mlops&password=" + secret + " as mlops:" + secret + "@db.internal, password="
                + secret, "08001"));
        StoreException e = assertThrows(StoreException.class, () -> PostgresModelStore.open(failing));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), t.getMessage());
        }
        assertTrue(e.getMessage().contains("SQLState 08001"), e.getMessage());
        assertTrue(e.getMessage().contains("mlops_"), "names the tables: " + e.getMessage());
    }

    @Test
    void schemaAndPrefix_outsideTheAllowList_areRefused_namingThem() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PostgresModelStore.builder(TestDatabase.dataSource()).schema("x\"; DROP TABLE y; --"));
        assertTrue(bad.getMessage().startsWith("schema must match"), bad.getMessage());
        IllegalArgumentException prefix = assertThrows(IllegalArgumentException.class,
                () -> PostgresModelStore.builder(TestDatabase.dataSource()).tablePrefix("Mlops-"));
        assertTrue(prefix.getMessage().contains("\"Mlops-\""), prefix.getMessage());
        assertThrows(IllegalStateException.class,
                () -> PostgresModelStore.builder(TestDatabase.dataSource()).schema("a").schema("b"));
    }

    /** A data source whose every connection fails with the exception given. */
    private record FailingDataSource(SQLException failure) implements ConnectionSource {
        @Override
        public Connection getConnection() throws SQLException {
            throw failure;
        }
    }
}
