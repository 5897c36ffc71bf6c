package dev.mlops.cli;

import dev.mlops.core.registry.ChangeNote;
import picocli.CommandLine.Option;

/** {@code --actor} and {@code --reason}: who makes a change and why, kept in the registry's history. */
final class NoteOptions {
    @Option(names = "--actor", paramLabel = "NAME",
            description = "Who makes the change, kept in the history. Default: $MLOPS_ACTOR, else the user name.")
    String actor;
    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, kept in the history.")
    String reason;

    /** @return who makes the change: the option, else {@code $MLOPS_ACTOR}, else the user name */
    String actor() {
        String who = actor;
        if (who == null) {
            who = System.getenv("MLOPS_ACTOR");
        }
        if (who == null || who.isBlank()) {
            who = System.getProperty("user.name", "unknown");
        }
        return who;
    }

    /** @return the change note */
    ChangeNote note() {
        return ChangeNote.by(actor()).because(reason);
    }
}
