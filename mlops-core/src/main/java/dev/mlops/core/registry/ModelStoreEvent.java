package dev.mlops.core.registry;

import java.util.List;
import java.util.Objects;

/** Something that changed in a {@link ModelStore}, as delivered to a {@link ModelStoreListener}. */
public sealed interface ModelStoreEvent permits ModelStoreEvent.Registered, ModelStoreEvent.AliasMoved,
        ModelStoreEvent.Annotated, ModelStoreEvent.Deleted, ModelStoreEvent.ModelAnnotated,
        ModelStoreEvent.ModelDeleted {

    /** @return the model concerned */
    String model();

    /**
     * @return the event's position in the store's sequence: every committed change has one, increasing
     *     in commit order (so in commit order per model), with no gaps; {@link ModelStore#events} reads
     *     the sequence from any position, so a listener that starts late or restarts can catch up
     */
    long sequence();

    /**
     * @param sequence the event's position in the store's sequence
     * @param version the new version
     */
    record Registered(long sequence, ModelVersion version) implements ModelStoreEvent {
        /**
         * Checks the parts.
         *
         * @param sequence the event's position in the store's sequence
         * @param version the new version
         */
        public Registered {
            checkSequence(sequence);
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String model() {
            return version.model();
        }
    }

    /**
     * @param sequence the event's position in the store's sequence
     * @param move the alias change
     */
    record AliasMoved(long sequence, AliasMove move) implements ModelStoreEvent {
        /**
         * Checks the parts.
         *
         * @param sequence the event's position in the store's sequence
         * @param move the alias change
         */
        public AliasMoved {
            checkSequence(sequence);
            Objects.requireNonNull(move, "move");
        }

        @Override
        public String model() {
            return move.model();
        }
    }

    /**
     * @param sequence the event's position in the store's sequence
     * @param version the version after the change
     * @param note who changed it, and why
     */
    record Annotated(long sequence, ModelVersion version, ChangeNote note) implements ModelStoreEvent {
        /**
         * Checks the parts.
         *
         * @param sequence the event's position in the store's sequence
         * @param version the version after the change
         * @param note who changed it, and why
         */
        public Annotated {
            checkSequence(sequence);
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(note, "note");
        }

        @Override
        public String model() {
            return version.model();
        }
    }

    /**
     * @param sequence the event's position in the store's sequence
     * @param tombstone what remains
     */
    record Deleted(long sequence, Tombstone tombstone) implements ModelStoreEvent {
        /**
         * Checks the parts.
         *
         * @param sequence the event's position in the store's sequence
         * @param tombstone what remains
         */
        public Deleted {
            checkSequence(sequence);
            Objects.requireNonNull(tombstone, "tombstone");
        }

        @Override
        public String model() {
            return tombstone.model();
        }
    }

    /**
     * @param sequence the event's position in the store's sequence
     * @param summary the model after the change, at its next revision
     * @param note who changed it, and why
     */
    record ModelAnnotated(long sequence, ModelSummary summary, ChangeNote note) implements ModelStoreEvent {
        /**
         * Checks the parts.
         *
         * @param sequence the event's position in the store's sequence
         * @param summary the model after the change, at its next revision
         * @param note who changed it, and why
         */
        public ModelAnnotated {
            checkSequence(sequence);
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(note, "note");
        }

        @Override
        public String model() {
            return summary.model();
        }
    }

    /**
     * A whole model deleted: each of its live versions left a tombstone.
     *
     * @param sequence the event's position in the store's sequence
     * @param model the model
     * @param tombstones what remains of its versions, in number order
     * @param note who deleted it, and why
     */
    record ModelDeleted(long sequence, String model, List<Tombstone> tombstones, ChangeNote note)
            implements ModelStoreEvent {
        /**
         * Checks and copies the parts.
         *
         * @param sequence the event's position in the store's sequence
         * @param model the model
         * @param tombstones what remains of its versions, in number order
         * @param note who deleted it, and why
         */
        public ModelDeleted {
            checkSequence(sequence);
            Objects.requireNonNull(model, "model");
            tombstones = List.copyOf(tombstones);
            Objects.requireNonNull(note, "note");
        }
    }

    private static void checkSequence(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
    }
}
