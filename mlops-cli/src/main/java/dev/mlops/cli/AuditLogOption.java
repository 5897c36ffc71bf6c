package dev.mlops.cli;

import dev.mlops.core.audit.AuditLog;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.jdbc.PostgresAuditLog;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --audit-log DIR|URL} on the commands that change the registry: the change, or its failure, is
 * recorded in that audit log. A directory is a {@link FileAuditLog}, which this command opens as the log's
 * one writer; a {@code jdbc:postgresql:} URL is a {@link PostgresAuditLog} in schema {@code --audit-schema},
 * which defaults to the registry's {@code --schema}, so that a log given without one sits beside a
 * PostgreSQL registry in its schema (a store and a log share their tables' migrations for that). User and
 * password come from {@code MLOPS_PG_USER} and {@code MLOPS_PG_PASSWORD}, as the registry's. Either log is
 * created when missing. Falls back to {@code MLOPS_AUDIT_LOG}, the variable the read-only {@code audit}
 * commands read too.
 */
final class AuditLogOption {
    @Option(names = "--audit-log", paramLabel = "DIR|URL",
            description = "Record the change (or its failure) in this audit log, created when missing: a directory"
                    + " (as its one writer) or a jdbc:postgresql://HOST:PORT/DB URL (user and password from $"
                    + PostgresConnections.USER + " and $" + PostgresConnections.PASSWORD + "). Default: $"
                    + AuditCommand.ENV + ".")
    String auditLog;

    @Option(names = "--audit-schema", paramLabel = "NAME",
            description = "A PostgreSQL audit log's schema (default: the registry's --schema).")
    String auditSchema;

    /** @return the log's directory or URL, when one is given */
    Optional<String> spec() {
        String s = auditLog != null ? auditLog : System.getenv(AuditCommand.ENV);
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /**
     * @param registrySchema the registry's {@code --schema}, the default of a PostgreSQL log's
     * @return the log, open for appending, when one is given
     * @throws CliException (usage) when it cannot be opened: another process has it open, it is damaged,
     *     the database refuses, ...
     */
    Optional<AuditLog> openWriter(String registrySchema) {
        Optional<String> spec = spec();
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        String s = spec.get();
        if (s.startsWith("jdbc:")) {
            String schema = auditSchema != null ? auditSchema : registrySchema;
            String display = PostgresConnections.display(s) + " (schema " + schema + ")";
            if (!s.startsWith(PostgresConnections.PREFIX)) {
                throw CliException.usage("audit log " + display + ": only " + PostgresConnections.PREFIX
                        + " URLs are supported");
            }
            PostgresAuditLog.Builder b;
            try {
                b = PostgresAuditLog.builder(new PostgresConnections(s, System.getenv())).schema(schema);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--audit-schema " + schema + ": " + e.getMessage());
            }
            try {
                return Optional.of(b.build());
            } catch (RuntimeException e) {
                // the log's messages carry no URL and no password (it redacts the driver's)
                throw CliException.usage("audit log " + display + ": cannot be opened for writing, so nothing was"
                        + " changed", e);
            }
        }
        Path dir;
        try {
            dir = Path.of(s);
        } catch (InvalidPathException e) {
            throw CliException.usage("audit log " + s + ": not a path: " + e.getMessage());
        }
        try {
            return Optional.of(FileAuditLog.open(dir));
        } catch (RuntimeException e) {
            // a damaged log is the command's input at fault, not a check that failed: exit 2 for all
            throw CliException.usage("audit log " + dir + ": cannot be opened for writing, so nothing was"
                    + " changed", e);
        }
    }
}
