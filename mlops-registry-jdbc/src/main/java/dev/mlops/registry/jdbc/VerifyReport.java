package dev.mlops.registry.jdbc;

import java.util.List;
import java.util.Objects;

/**
 * What {@link PostgresModelStore#verify()} checked and found, in one snapshot of the database.
 *
 * <pre>{@code
 * VerifyReport report = store.verify();
 * if (!report.ok()) report.problems().forEach(log::error);
 * }</pre>
 *
 * @param problems every problem found, each naming its table and row and saying what was expected: models
 *     by name, then artifacts
 * @param models how many models' change logs were replayed
 * @param changes how many changes were replayed
 * @param events how many events there are
 * @param versions how many live versions the replays gave
 * @param artifacts how many distinct artifacts of live versions were read and hashed
 * @param artifactBytes how many bytes those held
 */
public record VerifyReport(List<String> problems, long models, long changes, long events, long versions,
        long artifacts, long artifactBytes) {

    /**
     * Copies the list and checks the counts.
     *
     * @param problems every problem found, each naming its table and row and saying what was expected: models
     *     by name, then artifacts
     * @param models how many models' change logs were replayed
     * @param changes how many changes were replayed
     * @param events how many events there are
     * @param versions how many live versions the replays gave
     * @param artifacts how many distinct artifacts of live versions were read and hashed
     * @param artifactBytes how many bytes those held
     */
    public VerifyReport {
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
        if (models < 0 || changes < 0 || events < 0 || versions < 0 || artifacts < 0 || artifactBytes < 0) {
            throw new IllegalArgumentException("counts must not be negative: " + models + ", " + changes + ", "
                    + events + ", " + versions + ", " + artifacts + ", " + artifactBytes);
        }
    }

    /** @return whether no problem was found */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** @return one line: what was checked, and how many problems */
    public String summary() {
        return "checked " + models + " models, " + changes + " changes, " + events + " events, " + versions
                + " live versions, " + artifacts + " artifacts (" + artifactBytes + " bytes): " + problems.size()
                + " problems";
    }
}
