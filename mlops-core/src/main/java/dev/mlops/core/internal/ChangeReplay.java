package dev.mlops.core.internal;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Tombstone;
import java.util.Optional;

/**
 * Checks that a change read back from storage follows from the ones before it, before the ledger applies
 * it: every durable store replays its change log through this one check, so that a damaged or
 * hand-edited change is refused alike everywhere. Stateless and thread-safe.
 */
public final class ChangeReplay {
    private ChangeReplay() {
    }

    /**
     * @param ledger the model's ledger, holding the changes before this one
     * @param highest the highest version number registered by those changes
     * @param change the next change, as read
     * @param document where it was read from, for the message
     * @throws InvalidFormatException naming {@code document} when the change does not follow
     */
    public static void check(ModelLedger ledger, long highest, ModelLedger.Change change, String document) {
        String model = ledger.model();
        String problem = null;
        if (change instanceof ModelLedger.Registered r) {
            ModelVersion v = r.version();
            if (!v.model().equals(model)) {
                problem = "registers a version of model " + v.model();
            } else if (v.version() <= highest) {
                problem = "registers version " + v.version() + ", but version " + highest + " was registered before";
            } else if (v.revision() != 1) {
                problem = "registers version " + v.version() + " at revision " + v.revision() + ", not 1";
            }
        } else if (change instanceof ModelLedger.AliasChanged a) {
            AliasMove m = a.move();
            if (!m.model().equals(model)) {
                problem = "moves an alias of model " + m.model();
            } else if (m.to().isPresent() && (ledger.resolve(ModelRef.of(model, m.to().getAsLong())).isEmpty()
                    || a.targetsAfter().isEmpty() || a.targetsAfter().get(0) != m.to().getAsLong())) {
                problem = "moves alias " + m.alias() + " to v" + m.to().getAsLong()
                        + ", which is not live or not first in targetsAfter";
            } else if (m.to().isEmpty() && (!a.targetsAfter().isEmpty() || ledger.current(m.alias()).isEmpty())) {
                problem = "removes alias " + m.alias() + ", which is not set, or keeps targets after removal";
            }
        } else if (change instanceof ModelLedger.Annotated a) {
            ModelVersion v = a.version();
            Optional<ModelVersion> before = v.model().equals(model) ? ledger.resolve(v.ref()) : Optional.empty();
            if (before.isEmpty() || before.get().revision() + 1 != v.revision()) {
                problem = "annotates " + v.ref() + " at revision " + v.revision()
                        + ", which is not the next revision of a live version";
            }
        } else if (change instanceof ModelLedger.Deleted d) {
            if (!live(ledger, d.tombstone())) {
                problem = "deletes " + d.tombstone().model() + ":" + d.tombstone().version() + ", not a live version";
            }
        } else if (change instanceof ModelLedger.ModelAnnotated a) {
            if (!ledger.listed() || ledger.summary().revision() + 1 != a.revision()) {
                problem = "annotates the model at revision " + a.revision()
                        + ", which is not the next revision of a listed model";
            }
        } else {
            ModelLedger.ModelDeleted d = (ModelLedger.ModelDeleted) change;
            if (!ledger.listed() || d.tombstones().size() != ledger.summary().liveVersions()
                    || !d.tombstones().stream().allMatch(t -> live(ledger, t))) {
                problem = "deletes the model, but its tombstones are not exactly its live versions";
            }
        }
        if (problem != null) {
            throw new InvalidFormatException(document, "", -1, "does not follow from the changes before it: it "
                    + problem);
        }
    }

    private static boolean live(ModelLedger ledger, Tombstone t) {
        return t.model().equals(ledger.model()) && ledger.resolve(ModelRef.of(t.model(), t.version())).isPresent();
    }
}
