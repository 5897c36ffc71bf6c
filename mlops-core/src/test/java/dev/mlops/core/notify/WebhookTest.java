package dev.mlops.core.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.monitor.Alert;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.NewVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
