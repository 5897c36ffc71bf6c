package dev.mlops.core.registry;

import java.util.Objects;

/** Something that changed in a {@link ModelStore}, as delivered to a {@link ModelStoreListener}. */
public sealed interface ModelStoreEvent permits ModelStoreEvent.Registered, ModelStoreEvent.AliasMoved,
        ModelStoreEvent.Annotated, ModelStoreEvent.Deleted {

    /** @return the model concerned */
    String model();

    /** @param version the new version */
    record Registered(ModelVersion version) implements ModelStoreEvent {
        /** Checks the part. */
        public Registered {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String model() {
            return version.model();
        }
    }

    /** @param move the alias change */
    record AliasMoved(AliasMove move) implements ModelStoreEvent {
        /** Checks the part. */
        public AliasMoved {
            Objects.requireNonNull(move, "move");
        }

        @Override
        public String model() {
            return move.model();
        }
    }

    /** @param version the version after the change */
    record Annotated(ModelVersion version) implements ModelStoreEvent {
        /** Checks the part. */
        public Annotated {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public String model() {
            return version.model();
        }
    }

    /** @param tombstone what remains */
    record Deleted(Tombstone tombstone) implements ModelStoreEvent {
        /** Checks the part. */
        public Deleted {
            Objects.requireNonNull(tombstone, "tombstone");
        }

        @Override
        public String model() {
            return tombstone.model();
        }
    }
}
