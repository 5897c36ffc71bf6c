package dev.mlops.cli;

import dev.mlops.registry.fs.FileAuditLog;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --audit-log DIR} on the commands that change the registry: the change, or its failure, is
 * recorded in that {@link FileAuditLog}, which this command opens as the log's one writer. Falls back to
 * {@code MLOPS_AUDIT_LOG}, the variable the read-only {@code audit} commands read too.
 */
final class AuditLogOption {
    @Option(names = "--audit-log", paramLabel = "DIR",
            description = "Record the change (or its failure) in this audit log directory, created when missing,"
                    + " as its one writer. Default: $" + AuditCommand.ENV + ".")
    String auditLog;

    /** @return the log's directory, when one is given */
    Optional<Path> dir() {
        String s = auditLog != null ? auditLog : System.getenv(AuditCommand.ENV);
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(s));
        } catch (InvalidPathException e) {
            throw CliException.usage("audit log " + s + ": not a path: " + e.getMessage());
        }
    }

    /**
     * @return the log, open for appending, when one is given
     * @throws CliException (usage) when it cannot be opened: another process has it open, it is damaged, ...
     */
    Optional<FileAuditLog> openWriter() {
        Optional<Path> dir = dir();
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(FileAuditLog.open(dir.get()));
        } catch (RuntimeException e) {
            // a damaged log is the command's input at fault, not a check that failed: exit 2 for all
            throw CliException.usage("audit log " + dir.get() + ": cannot be opened for writing, so nothing was"
                    + " changed", e);
        }
    }
}
