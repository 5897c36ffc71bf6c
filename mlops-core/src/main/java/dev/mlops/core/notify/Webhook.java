package dev.mlops.core.notify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mlops.core.lifecycle.PromotionRequest;
import dev.mlops.core.monitor.Alert;
import dev.mlops.core.monitor.AlertListener;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelStoreListener;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a team what happened by posting JSON to a webhook, in the form chat tools (Slack, Mattermost,
 * Microsoft Teams' incoming webhooks) accept: {@code {"text": "..."}}, plus an {@code mlops} object with
 * the same facts as fields for other receivers. It listens to a model store's events, a monitor's
 * alerts and promotions' steps:
 *
 * <pre>{@code
 * Webhook team = Webhook.builder(URI.create(System.getenv("SLACK_WEBHOOK")), scheduler).build();
 * store.subscribe(team);
 * monitor.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9), team);
 * Promotions promotions = Promotions.builder(store, auditLog, gate).listener(team).build();
 * }</pre>
 *
 * <p>It never blocks the caller: a notification is queued on the application's executor and sent there
 * with the JDK's {@link HttpClient} (whose own selector thread is the JDK's); when more than
 * {@link Builder#maxQueued} are waiting, new ones are dropped and counted. A send that times out, fails
 * to connect, or is answered 429 or 5xx is retried after a growing delay, at most
 * {@link Builder#retries} times; any other answer is final. The URL is a secret (a webhook URL is its
 * own credential): logs and {@link #toString()} show only its scheme and host.
 */
public final class Webhook implements ModelStoreListener, AlertListener, Consumer<PromotionRequest>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final URI url;
    private final String shown;
    private final ScheduledExecutorService executor;
    private final HttpClient client;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    private Webhook(Builder b) {
        this.url = b.url;
        this.shown = b.url.getScheme() + "://" + b.url.getHost() + (b.url.getPort() < 0 ? "" : ":" + b.url.getPort())
                + "/…";
        this.executor = b.executor;
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.backoff = b.backoff;
        this.maxQueued = b.maxQueued;
        this.client = b.client != null ? b.client
                : HttpClient.newBuilder().executor(b.executor).connectTimeout(b.timeout).build();
    }

    /**
     * @param url the webhook's address, {@code https} (or {@code http}, for a receiver on the same host)
     * @param executor where notifications are sent and retries wait; the webhook never shuts it down
     * @return a builder
     */
    public static Builder builder(URI url, ScheduledExecutorService executor) {
        return new Builder(url, executor);
    }

    /** Options of a {@link Webhook}. */
    public static final class Builder {
        private final URI url;
        private final ScheduledExecutorService executor;
        private Duration timeout = Duration.ofSeconds(5);
        private int retries = 3;
        private Duration backoff = Duration.ofSeconds(1);
        private int maxQueued = 1_000;
        private HttpClient client;

        private Builder(URI url, ScheduledExecutorService executor) {
            Objects.requireNonNull(url, "url");
            this.executor = Objects.requireNonNull(executor, "executor");
            String scheme = url.getScheme();
            if (!"https".equals(scheme) && !"http".equals(scheme) || url.getHost() == null) {
                throw new IllegalArgumentException("a webhook URL must be http(s)://host/...; was one with scheme "
                        + scheme + " and host " + url.getHost());
            }
            this.url = url;
        }

        /**
         * @param perAttempt how long one attempt may take, connecting included; default 5 s
         * @return this builder
         */
        public Builder timeout(Duration perAttempt) {
            Objects.requireNonNull(perAttempt, "perAttempt");
            if (perAttempt.isNegative() || perAttempt.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + perAttempt);
            }
            this.timeout = perAttempt;
            return this;
        }

        /**
         * @param times retries after the first attempt, 0 to 10; default 3
         * @param firstDelay the delay before the first retry, doubled before each next one; default 1 s
         * @return this builder
         */
        public Builder retries(int times, Duration firstDelay) {
            if (times < 0 || times > 10) {
                throw new IllegalArgumentException("retries must be 0 to 10, was " + times);
            }
            Objects.requireNonNull(firstDelay, "firstDelay");
            if (firstDelay.isNegative()) {
                throw new IllegalArgumentException("firstDelay must be zero or positive, was " + firstDelay);
            }
            this.retries = times;
            this.backoff = firstDelay;
            return this;
        }

        /**
         * @param max notifications waiting or being sent at most; more are dropped and counted; default 1,000
         * @return this builder
         */
        public Builder maxQueued(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxQueued must be >= 1, was " + max);
            }
            this.maxQueued = max;
            return this;
        }

        /**
         * @param httpClient the client to send with (a proxy, TLS settings); by default one on the executor
         * @return this builder
         */
        public Builder httpClient(HttpClient httpClient) {
            this.client = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** @return the webhook */
        public Webhook build() {
            return new Webhook(this);
        }
    }

    /**
     * Posts a registry change: a registration, an alias move, an annotation, a deletion. The {@code mlops}
     * object holds {@code kind}, {@code model} and {@code sequence}; an alias move adds {@code alias},
     * {@code move} ({@code set}, {@code rollback} or {@code remove}, which the text's verb says too) and the
     * versions {@code from} and {@code to} ({@code null} for none).
     */
    @Override
    public void onEvent(ModelStoreEvent event) {
        Objects.requireNonNull(event, "event");
        String text;
        String kind;
        AliasMove aliasMove = null;
        if (event instanceof ModelStoreEvent.Registered r) {
            kind = "registered";
            text = "Registered " + r.version().ref() + " by " + r.version().createdBy() + " (sha256 "
                    + r.version().digest() + ")";
        } else if (event instanceof ModelStoreEvent.AliasMoved m) {
            kind = "alias-moved";
            AliasMove move = m.move();
            aliasMove = move;
            // a rollback is news of its own (the last promotion was undone), so the verb says which move it was
            String verb = switch (move.kind()) {
                case SET -> "Moved";
                case ROLLBACK -> "Rolled back";
                case REMOVE -> "Removed";
            };
            text = verb + " " + move.model() + "@" + move.alias() + " from " + describe(move.from()) + " to "
                    + describe(move.to()) + " by " + move.actor() + (move.reason().isEmpty() ? "" : ": " + move.reason());
        } else if (event instanceof ModelStoreEvent.Annotated a) {
            kind = "annotated";
            text = "Annotated " + a.version().ref() + " by " + a.note().actor();
        } else if (event instanceof ModelStoreEvent.Deleted d) {
            kind = "deleted";
            text = "Deleted " + d.tombstone().model() + ":" + d.tombstone().version() + " by " + d.tombstone().actor();
        } else if (event instanceof ModelStoreEvent.ModelAnnotated a) {
            kind = "model-annotated";
            text = "Annotated model " + a.model() + " by " + a.note().actor();
        } else {
            ModelStoreEvent.ModelDeleted d = (ModelStoreEvent.ModelDeleted) event;
            kind = "model-deleted";
            text = "Deleted model " + d.model() + " (" + d.tombstones().size() + " versions)";
        }
        AliasMove move = aliasMove;
        post(text, g -> {
            g.writeStringField("kind", kind);
            g.writeStringField("model", event.model());
            g.writeNumberField("sequence", event.sequence());
            if (move != null) {
                g.writeStringField("alias", move.alias());
                g.writeStringField("move", move.kind().name().toLowerCase(java.util.Locale.ROOT));
                writeVersion(g, "from", move.from());
                writeVersion(g, "to", move.to());
            }
        });
    }

    /** Posts a monitor alert. */
    @Override
    public void onAlert(Alert alert) {
        Objects.requireNonNull(alert, "alert");
        post("Alert: " + alert.describe(), g -> {
            g.writeStringField("kind", "alert");
            g.writeStringField("rule", alert.rule().describe());
            g.writeNumberField("value", alert.value());
            g.writeStringField("windowStart", alert.windowStart().toString());
            g.writeStringField("windowEnd", alert.windowEnd().toString());
            g.writeNumberField("consecutiveWindows", alert.consecutiveWindows());
        });
    }

    /**
     * Posts a promotion's step: requested (with the gate's verdict), approved, promoted or rejected. The
     * {@code mlops} object holds {@code kind} ({@code promotion}), {@code request}, {@code challenger},
     * {@code alias}, {@code status}, {@code gatePassed}, {@code approvals} and {@code requester}.
     */
    @Override
    public void accept(PromotionRequest r) {
        Objects.requireNonNull(r, "request");
        String text = "Promotion #" + r.id() + " of " + r.challenger() + " to @" + r.alias() + ": " + r.status()
                .name().toLowerCase(java.util.Locale.ROOT) + " (gate " + (r.gate().passed() ? "passed" : "failed: "
                + r.gate().failures().size() + " criteria") + ", " + r.approvals().size() + " approvals, requested by "
                + r.requester() + ")";
        post(text, g -> {
            g.writeStringField("kind", "promotion");
            g.writeNumberField("request", r.id());
            g.writeStringField("challenger", r.challenger().toString());
            g.writeStringField("alias", r.alias());
            g.writeStringField("status", r.status().name());
            g.writeBooleanField("gatePassed", r.gate().passed());
            g.writeNumberField("approvals", r.approvals().size());
            g.writeStringField("requester", r.requester());
        });
    }

    private static void writeVersion(JsonGenerator g, String field, java.util.OptionalLong version) throws IOException {
        if (version.isPresent()) {
            g.writeNumberField(field, version.getAsLong());
        } else {
            g.writeNullField(field);
        }
    }

    private static String describe(java.util.OptionalLong version) {
        return version.isPresent() ? "v" + version.getAsLong() : "nothing";
    }

    /** Writes the {@code mlops} object's fields. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private void post(String text, Fields fields) {
        if (closed) {
            dropped.incrementAndGet();
            return;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            LOG.debug("webhook {}: {} notifications waiting, dropped one", shown, maxQueued);
            return;
        }
        String body = body(text, fields);
        try {
            executor.execute(() -> attempt(body, 0));
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            LOG.warn("webhook {}: the executor refused a notification ({})", shown, e.toString());
        }
    }

    private static String body(String text, Fields fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeObjectFieldStart("mlops");
            fields.write(g);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Sends without blocking a thread: the executor runs the HTTP client's work too. */
    private void attempt(String body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> answered(body, attempt, response, error));
        } catch (RuntimeException e) {
            giveUp("the HTTP client refused the request (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void answered(String body, int attempt, HttpResponse<Void> response, Throwable error) {
        String problem;
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            problem = cause.getClass().getSimpleName();
        } else {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                delivered.incrementAndGet();
                queued.decrementAndGet();
                return;
            }
            problem = "answered " + status;
            if (status != 429 && status < 500) {
                giveUp(problem + ", not retried");
                return;
            }
        }
        if (attempt >= retries || closed) {
            giveUp(problem + " after " + (attempt + 1) + " attempts");
            return;
        }
        long delay = backoff.toNanos() << Math.min(attempt, 20);
        try {
            executor.schedule(() -> attempt(body, attempt + 1), delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            giveUp(problem + "; the executor refused the retry");
        }
    }

    private void giveUp(String why) {
        LOG.warn("webhook {}: notification not delivered: {}", shown, why);
        queued.decrementAndGet();
        failed.incrementAndGet();
    }

    /** @return notifications the webhook accepted (2xx) */
    public long delivered() {
        return delivered.get();
    }

    /** @return notifications dropped because too many were waiting, the executor refused, or after close */
    public long dropped() {
        return dropped.get();
    }

    /** @return notifications given up on: a final error answer, or retries spent */
    public long failed() {
        return failed.get();
    }

    /** Stops taking notifications; those queued are still sent, retries are not scheduled. */
    @Override
    public void close() {
        closed = true;
    }

    /** @return the webhook's scheme and host only: its path is a secret */
    @Override
    public String toString() {
        return "Webhook[" + shown + "]";
    }
}
