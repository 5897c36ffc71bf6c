package dev.mlops.registry.jdbc;

import dev.mlops.core.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PostgresModelStore#fsck()} found and repaired: the {@link VerifyReport} of its check, every
 * problem found included, and the snapshots it deleted for them. A snapshot is a cache of what the change
 * rows hold, so deleting one loses nothing; every other problem is the registry's own rows, reported and
 * left as they are ({@link #unrepaired()}).
 *
 * <pre>{@code
 * PostgresFsckReport report = store.fsck();
 * if (!report.clean()) log.warn(report.summary());
 * report.unrepaired().forEach(log::error);
 * }</pre>
 *
 * @param verify what the check found: every problem, those repaired included
 * @param deletedSnapshots the snapshots deleted, each with the problem found with it
 */
public record PostgresFsckReport(VerifyReport verify, List<DeletedSnapshot> deletedSnapshots) {

    /**
     * Copies the list and checks that each deleted snapshot's problem is one of the check's.
     *
     * @param verify what the check found: every problem, those repaired included
     * @param deletedSnapshots the snapshots deleted, each with the problem found with it
     */
    public PostgresFsckReport {
        Objects.requireNonNull(verify, "verify");
        deletedSnapshots = List.copyOf(Objects.requireNonNull(deletedSnapshots, "deletedSnapshots"));
        List<String> left = new ArrayList<>(verify.problems());
        for (DeletedSnapshot d : deletedSnapshots) {
            if (!left.remove(d.problem())) {
                throw new IllegalArgumentException("the problem of deleted snapshot " + d.change() + " of model "
                        + d.model() + " is not among the check's problems: " + d.problem());
            }
        }
    }

    /**
     * A snapshot row {@link PostgresModelStore#fsck()} deleted.
     *
     * @param model the model it was a snapshot of
     * @param change the change after which it claimed to hold
     * @param problem what was wrong with it, as the check reported it
     */
    public record DeletedSnapshot(String model, long change, String problem) {
        /**
         * Checks the parts.
         *
         * @param model the model it was a snapshot of
         * @param change the change after which it claimed to hold, at least 1
         * @param problem what was wrong with it, as the check reported it
         */
        public DeletedSnapshot {
            Names.checkModel(model);
            if (change < 1) {
                throw new IllegalArgumentException("change must be >= 1, was " + change);
            }
            Objects.requireNonNull(problem, "problem");
        }
    }

    /** @return whether the check found no problem at all, so nothing was repaired */
    public boolean clean() {
        return verify.ok();
    }

    /** @return the problems found that were not repaired, in the check's order: all but the deleted snapshots' */
    public List<String> unrepaired() {
        List<String> left = new ArrayList<>(verify.problems());
        for (DeletedSnapshot d : deletedSnapshots) {
            left.remove(d.problem());
        }
        return List.copyOf(left);
    }

    /** @return one line: what was checked, what was deleted, and how many problems are left */
    public String summary() {
        return verify.summary() + "; deleted " + deletedSnapshots.size() + " snapshots; " + unrepaired().size()
                + " problems left";
    }
}
