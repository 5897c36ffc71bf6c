package dev.mlops.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.lifecycle.Candidate;
import dev.mlops.core.lifecycle.PromotionGate;
import dev.mlops.core.lifecycle.PromotionRequest;
import dev.mlops.core.lifecycle.Promotions;
import dev.mlops.core.monitor.Alert;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.security.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Webhook} against a real JDK HTTP server on loopback. */
class WebhookTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET_PATH = "/services/T0001/B0002/s3cr3t-t0k3n";
    private static final Principal ALICE = Principal.of("alice", "ml");
    private static final Principal BOB = Principal.of("bob", "risk");
    private static final PromotionGate GATE = PromotionGate.builder().metricAtLeastChampion("auc", "holdout", 0.0)
            .lineageComplete().build();
    private static final Lineage LINEAGE = Lineage.builder().codeRevision("3f2a9c1", false)
            .data(URI.create("s3://b/nov.parquet"), Sha256.ofUtf8("rows"), 100).build();
    /** The fields of a promotion step's {@code mlops} object, in the order they are written. */
    private static final List<String> PROMOTION_FIELDS = List.of("kind", "request", "challenger", "alias", "status",
            "gatePassed", "approvals", "requester");

    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    /** Starts a server whose n-th request (from 1) is answered with the status the supplier gives. */
    private URI serve(IntSupplier status, CountDownLatch gate) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(SECRET_PATH, exchange -> {
            requests.incrementAndGet();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            int code = status.getAsInt();
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    private JsonNode next() throws Exception {
        String body = bodies.poll(10, TimeUnit.SECONDS);
        assertTrue(body != null, "no request reached the server within 10 s");
        return JSON.readTree(body);
    }

    @Test
    void registryEventsAndAlerts_arrive_asChatJsonWithFields() throws Exception {
        URI url = serve(() -> 200, new CountDownLatch(0));
        Webhook team = Webhook.builder(url, executor).build();
        InMemoryModelStore store = new InMemoryModelStore();
        store.subscribe(team);
        store.register(NewVersion.builder("fraud").artifact(new byte[] {1, 2, 3}).createdBy("alice").build());
        JsonNode registered = next();
        assertTrue(registered.get("text").asText().startsWith("Registered fraud:1 by alice"), registered.toString());
        assertEquals("registered", registered.get("mlops").get("kind").asText());
        assertEquals("fraud", registered.get("mlops").get("model").asText());

        store.setAlias("fraud", "champion", 1, AliasExpect.absent(), ChangeNote.by("bob").because("first model"));
        JsonNode moved = next();
        assertEquals("Moved fraud@champion from nothing to v1 by bob: first model", moved.get("text").asText());

        team.onAlert(new Alert(AlertRule.when(Metric.ACCURACY).below(0.9), 0.81, Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T10:01:00Z"), 2, Instant.parse("2026-12-01T10:01:00Z")));
        JsonNode alert = next();
        assertTrue(alert.get("text").asText().startsWith("Alert: "), alert.toString());
        assertEquals(0.81, alert.get("mlops").get("value").asDouble());
        assertEquals(2, alert.get("mlops").get("consecutiveWindows").asInt());
        awaitTrue(() -> team.delivered() == 3);
        assertEquals(0, team.failed());
    }

    private static ModelVersion register(InMemoryModelStore store, double auc) {
        return store.register(NewVersion.builder("fraud").artifact(new byte[] {(byte) (auc * 100)})
                .metric("auc@holdout", auc).lineage(LINEAGE).createdBy("alice").build());
    }

    private static ModelVersion champion(InMemoryModelStore store) {
        ModelVersion v = register(store, 0.90);
        store.setAlias("fraud", "champion", v.version(), AliasExpect.absent(), ChangeNote.by("alice"));
        return v;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aPromotionThroughTheGate_postsEveryStep_whileTheReceiverIsStuck_withoutHoldingThePromotingThread()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        URI url = serve(() -> 200, release);
        Webhook team = Webhook.builder(url, executor).timeout(Duration.ofSeconds(30)).build();
        InMemoryModelStore store = new InMemoryModelStore();
        ModelVersion champion = champion(store);
        ModelVersion challenger = register(store, 0.93);
        Promotions promotions = Promotions.builder(store, AuditLog.inMemory(), GATE).approvals(1).listener(team)
                .build();

        long started = System.nanoTime();
        PromotionRequest r = promotions.request(ALICE, Candidate.of(challenger).against(champion), "champion",
                "beats v1 on the hold-out");
        PromotionRequest done = promotions.approve(r.id(), BOB, "checked the report");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(PromotionRequest.Status.PROMOTED, done.status());
        assertEquals(2, store.get(ModelRef.alias("fraud", "champion")).version());
        assertTrue(tookMillis < 2_000, "the promotion took " + tookMillis + " ms with the receiver stuck");
        // the three posts reached a receiver that has answered none of them: the promotion never waited for one
        awaitTrue(() -> requests.get() == 3);
        assertEquals(0, team.delivered());
        release.countDown();

        List<JsonNode> steps = new ArrayList<>(List.of(next(), next(), next()));
        // sent from two threads, they may arrive in any order: sorted back into the promotion's
        steps.sort(Comparator.comparing((JsonNode n) -> n.get("mlops").get("status").asText().equals("PROMOTED"))
                .thenComparing(n -> n.get("mlops").get("approvals").asInt()));
        assertEquals(List.of(
                "Promotion #1 of fraud:2 to @champion: pending (gate passed, 0 approvals, requested by alice)",
                "Promotion #1 of fraud:2 to @champion: pending (gate passed, 1 approvals, requested by alice)",
                "Promotion #1 of fraud:2 to @champion: promoted (gate passed, 1 approvals, requested by alice)"),
                steps.stream().map(n -> n.get("text").asText()).toList());
        JsonNode promoted = steps.get(2).get("mlops");
        assertEquals(PROMOTION_FIELDS, fieldNames(promoted));
        assertEquals("promotion", promoted.get("kind").asText());
        assertEquals(1, promoted.get("request").asLong());
        assertEquals("fraud:2", promoted.get("challenger").asText());
        assertEquals("champion", promoted.get("alias").asText());
        assertEquals("PROMOTED", promoted.get("status").asText());
        assertTrue(promoted.get("gatePassed").isBoolean() && promoted.get("gatePassed").asBoolean());
        assertEquals(1, promoted.get("approvals").asInt());
        assertEquals("alice", promoted.get("requester").asText());
        awaitTrue(() -> team.delivered() == 3);
        assertEquals(0, team.failed());
    }

    @Test
    void aGateRejection_aPrincipalsRejection_andARollback_arriveSayingWhichTheyWere() throws Exception {
        URI url = serve(() -> 200, new CountDownLatch(0));
        Webhook team = Webhook.builder(url, executor).build();
        InMemoryModelStore store = new InMemoryModelStore();
        ModelVersion champion = champion(store);
        Promotions promotions = Promotions.builder(store, AuditLog.inMemory(), GATE).approvals(1).listener(team)
                .build();

        ModelVersion worse = register(store, 0.80);
        PromotionRequest refused = promotions.request(ALICE, Candidate.of(worse).against(champion), "champion", "try");
        assertEquals(PromotionRequest.Status.REJECTED, refused.status());
        JsonNode byTheGate = next();
        assertEquals("Promotion #1 of fraud:2 to @champion: rejected (gate failed: 1 criteria, 0 approvals,"
                + " requested by alice)", byTheGate.get("text").asText());
        JsonNode fields = byTheGate.get("mlops");
        assertEquals(PROMOTION_FIELDS, fieldNames(fields));
        assertEquals("REJECTED", fields.get("status").asText());
        assertTrue(fields.get("gatePassed").isBoolean() && !fields.get("gatePassed").asBoolean());
        assertEquals("fraud:2", fields.get("challenger").asText());
        assertEquals(0, fields.get("approvals").asInt());

        ModelVersion better = register(store, 0.95);
        PromotionRequest asked = promotions.request(ALICE, Candidate.of(better).against(champion), "champion", "better");
        assertEquals("PENDING", next().get("mlops").get("status").asText());
        promotions.reject(asked.id(), BOB, "not before the holidays");
        JsonNode byBob = next();
        assertEquals("Promotion #2 of fraud:3 to @champion: rejected (gate passed, 0 approvals, requested by alice)",
                byBob.get("text").asText());
        assertEquals("REJECTED", byBob.get("mlops").get("status").asText());
        assertTrue(byBob.get("mlops").get("gatePassed").asBoolean(), "rejected by a principal, not by the gate");
        assertEquals(1, store.get(ModelRef.alias("fraud", "champion")).version());

        // promoted after all, then rolled back: the team hears that it was a rollback, not one more move
        PromotionRequest again = promotions.request(ALICE, Candidate.of(better).against(champion), "champion", "now");
        next();
        promotions.approve(again.id(), BOB, "ok");
        List<String> statuses = List.of(next().get("mlops").get("status").asText(),
                next().get("mlops").get("status").asText());
        assertTrue(statuses.contains("PROMOTED"), statuses.toString());
        store.subscribe(team);
        store.rollback("fraud", "champion", ChangeNote.by("oncall").because("p99 doubled"));
        JsonNode rolledBack = next();
        assertEquals("Rolled back fraud@champion from v3 to v1 by oncall: p99 doubled", rolledBack.get("text").asText());
        JsonNode move = rolledBack.get("mlops");
        assertEquals(List.of("kind", "model", "sequence", "alias", "move", "from", "to"), fieldNames(move));
        assertEquals("alias-moved", move.get("kind").asText());
        assertEquals("rollback", move.get("move").asText());
        assertEquals("champion", move.get("alias").asText());
        assertEquals(3, move.get("from").asLong());
        assertEquals(1, move.get("to").asLong());

        store.removeAlias("fraud", "champion", AliasExpect.current(1), ChangeNote.by("oncall"));
        JsonNode removed = next();
        assertEquals("Removed fraud@champion from v1 to nothing by oncall", removed.get("text").asText());
        assertEquals("remove", removed.get("mlops").get("move").asText());
        assertTrue(removed.get("mlops").get("to").isNull(), removed::toString);
        awaitTrue(() -> team.delivered() == 8);
        assertEquals(0, team.failed());
    }

    @Test
    void serverErrors_areRetriedWithBackoff_untilDelivered() throws Exception {
        AtomicInteger n = new AtomicInteger();
        URI url = serve(() -> n.incrementAndGet() <= 2 ? 503 : 200, new CountDownLatch(0));
        Webhook team = Webhook.builder(url, executor).retries(3, Duration.ofMillis(20)).build();
        team.onAlert(alert());
        awaitTrue(() -> team.delivered() == 1);
        assertEquals(3, requests.get(), "two 503s, then 200");
        assertEquals(0, team.failed());
    }

    @Test
    void clientErrors_areNotRetried_andTheSecretPathIsNeverLogged() throws Exception {
        URI url = serve(() -> 404, new CountDownLatch(0));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Webhook team;
        try {
            team = Webhook.builder(url, executor).retries(3, Duration.ofMillis(1)).build();
            team.onAlert(alert());
            awaitTrue(() -> team.failed() == 1);
        } finally {
            System.setErr(err);
        }
        assertEquals(1, requests.get(), "a 404 is final");
        String log = captured.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("notification not delivered: answered 404"), log);
        assertFalse(log.contains("s3cr3t"), log);
        assertFalse(team.toString().contains("s3cr3t"), team.toString());
        assertTrue(team.toString().contains("127.0.0.1"), team.toString());
    }

    @Test
    void aStuckReceiver_neverBlocksTheCaller_andExtraNotificationsAreDropped() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        URI url = serve(() -> 200, release);
        Webhook team = Webhook.builder(url, executor).maxQueued(2).timeout(Duration.ofSeconds(30)).build();
        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            team.onAlert(alert());
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 2_000, "five notifications took " + tookMillis + " ms on the caller's thread");
        assertEquals(3, team.dropped());
        release.countDown();
        awaitTrue(() -> team.delivered() == 2);
    }

    @Test
    void timeouts_areRetried_thenGivenUp() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        URI url = serve(() -> 200, never);
        Webhook team = Webhook.builder(url, executor).timeout(Duration.ofMillis(200)).retries(1, Duration.ofMillis(10))
                .build();
        team.onAlert(alert());
        awaitTrue(() -> team.failed() == 1);
        assertEquals(2, requests.get(), "the first attempt and one retry, each timed out");
        never.countDown();
    }

    @Test
    void badOptions_areNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Webhook.builder(URI.create("file:///etc/passwd"), executor));
        assertTrue(e.getMessage().contains("http(s)://host"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Webhook.builder(URI.create("https://example.com/x"), executor).retries(11, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> Webhook.builder(URI.create("https://example.com/x"), executor).maxQueued(0));
    }

    private static Alert alert() {
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        return new Alert(AlertRule.when(Metric.FAILURE_RATE).above(0.01), 0.05, t, t.plusSeconds(60), 1, t.plusSeconds(60));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(5);
        }
    }
}
