package dev.mlops.drift.report;

import dev.mlops.core.registry.ModelRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DriftReport} is about, printed at its top and written to its JSON: the dataset's name,
 * the model version whose inputs these are, the time window of the current data, what the reference is,
 * and when the report was made. Only the dataset's name and the time are required. Immutable.
 *
 * <pre>{@code
 * ReportHeader header = ReportHeader.builder("card transactions", clock.instant())
 *         .model(ModelRef.of("fraud-scorer", 7))
 *         .window(Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-27T00:00:00Z"))
 *         .reference("training data, October 2026")
 *         .build();
 * }</pre>
 *
 * @param dataset the name of the table compared, for example {@code "card transactions"}
 * @param model the model version whose inputs the table holds, for example {@code "fraud-scorer:7"}
 * @param window when the current data was collected
 * @param reference what the reference is, for example {@code "training data, October 2026"}
 * @param createdAt when the report was made (pass the time from an injected clock)
 */
public record ReportHeader(String dataset, Optional<String> model, Optional<Window> window,
        Optional<String> reference, Instant createdAt) {
    /** The longest text a header field takes, in characters, so that a header stays a header. */
    public static final int MAX_TEXT = 200;

    /**
     * Validates the parts.
     *
     * @param dataset the name of the table compared, for example {@code "card transactions"}
     * @param model the model version whose inputs the table holds, for example {@code "fraud-scorer:7"}
     * @param window when the current data was collected
     * @param reference what the reference is, for example {@code "training data, October 2026"}
     * @param createdAt when the report was made (pass the time from an injected clock)
     */
    public ReportHeader {
        text("dataset", dataset);
        Objects.requireNonNull(model, "model").ifPresent(m -> text("model", m));
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(reference, "reference").ifPresent(r -> text("reference", r));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @param dataset the name of the table compared
     * @param createdAt when the report was made
     * @return a header with only these two
     */
    public static ReportHeader of(String dataset, Instant createdAt) {
        return builder(dataset, createdAt).build();
    }

    /**
     * @param dataset the name of the table compared
     * @param createdAt when the report was made
     * @return a builder for the optional parts
     */
    public static Builder builder(String dataset, Instant createdAt) {
        return new Builder(dataset, createdAt);
    }

    private static void text(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || value.length() > MAX_TEXT) {
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_TEXT + " characters and not blank, was "
                    + value.length() + " characters");
        }
    }

    /**
     * The time window of the current data, start inclusive, end exclusive.
     *
     * @param start the first instant
     * @param end the instant after the last, after {@code start}
     */
    public record Window(Instant start, Instant end) {
        /**
         * Validates the parts.
         *
         * @param start the first instant
         * @param end the instant after the last, after {@code start}
         */
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("window end must be after its start, was " + start + " to " + end);
            }
        }
    }

    /** Builds a {@link ReportHeader}; each part may be set once. Not thread-safe. */
    public static final class Builder {
        private final String dataset;
        private final Instant createdAt;
        private Optional<String> model = Optional.empty();
        private Optional<Window> window = Optional.empty();
        private Optional<String> reference = Optional.empty();

        private Builder(String dataset, Instant createdAt) {
            this.dataset = dataset;
            this.createdAt = createdAt;
        }

        /**
         * @param version the model version, as people name it ({@code "fraud-scorer:7"}, a git hash, ...)
         * @return this
         * @throws IllegalStateException when the model is already set
         */
        public Builder model(String version) {
            requireUnset(model, "model");
            text("model", version);
            model = Optional.of(version);
            return this;
        }

        /**
         * @param ref a registry reference, written as {@code name:version}, {@code name@alias} or
         *     {@code name:latest}
         * @return this
         * @throws IllegalStateException when the model is already set
         */
        public Builder model(ModelRef ref) {
            return model(Objects.requireNonNull(ref, "ref").toString());
        }

        /**
         * @param start the first instant of the current data
         * @param end the instant after its last
         * @return this
         * @throws IllegalStateException when the window is already set
         */
        public Builder window(Instant start, Instant end) {
            requireUnset(window, "window");
            window = Optional.of(new Window(start, end));
            return this;
        }

        /**
         * @param description what the reference is, for example {@code "training data, October 2026"}
         * @return this
         * @throws IllegalStateException when the reference is already set
         */
        public Builder reference(String description) {
            requireUnset(reference, "reference");
            text("reference", description);
            reference = Optional.of(description);
            return this;
        }

        private static void requireUnset(Optional<?> part, String what) {
            if (part.isPresent()) {
                throw new IllegalStateException(what + " is already set to " + part.get());
            }
        }

        /** @return the header */
        public ReportHeader build() {
            return new ReportHeader(dataset, model, window, reference, createdAt);
        }
    }
}
