package dev.mlops.cli;

import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.registry.ForwardingModelStore;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.jdbc.PostgresModelStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --registry}: where the registry is, a filesystem store's directory or a {@code jdbc:postgresql:}
 * URL (with {@code --schema}; user and password from {@code MLOPS_PG_USER} and {@code MLOPS_PG_PASSWORD}).
 * Falls back to the environment variable {@code MLOPS_REGISTRY}, so a CI job sets it once. Either way the
 * registry must exist: a typo never creates an empty one.
 */
final class RegistryOption {
    static final String ENV = "MLOPS_REGISTRY";
    static final String DEFAULT_SCHEMA = "mlops";

    @Option(names = {"-r", "--registry"}, paramLabel = "DIR|URL", order = -10,
            description = "The registry: a filesystem store's directory, or a jdbc:postgresql://HOST:PORT/DB URL"
                    + " (user and password from $" + PostgresConnections.USER + " and $" + PostgresConnections.PASSWORD
                    + "). Default: $" + ENV + ".")
    String registry;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = DEFAULT_SCHEMA, order = -9,
            description = "A PostgreSQL registry's schema (default: ${DEFAULT-VALUE}).")
    String schema;

    /** @return the registry's text, from the option or the environment */
    String spec() {
        String s = registry != null ? registry : System.getenv(ENV);
        if (s == null || s.isBlank()) {
            throw CliException.usage("no registry: give --registry DIR or URL, or set " + ENV);
        }
        return s;
    }

    /** @return whether the registry is a JDBC URL rather than a directory */
    boolean isDatabase() {
        return spec().startsWith("jdbc:");
    }

    /** @return the registry as messages name it: a URL without parameters or user-info, and with its schema */
    String display() {
        String s = spec();
        return s.startsWith("jdbc:") ? PostgresConnections.display(s) + " (schema " + schema + ")" : s;
    }

    /** @return the store, which must exist */
    ModelStore open() {
        return isDatabase() ? openPostgres() : openFileSystem();
    }

    /**
     * @param audit where the change is recorded, if anywhere
     * @param note who makes the change, the actor of records of calls that name nobody
     * @return the store, which must exist; with an audit log, every change through it is recorded there, and
     *     closing it closes the log too
     */
    ModelStore openForChange(AuditLogOption audit, NoteOptions note) {
        String actor = note.note().actor(); // a bad --actor fails here, before anything is opened
        Optional<AuditLog> log = audit.openWriter(schema);
        if (log.isEmpty()) {
            return open();
        }
        ModelStore store = null;
        try {
            store = open();
            return new Audited(AuditingModelStore.builder(store, log.get()).defaultActor(actor).build(), log.get());
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            log.get().close();
            throw e;
        }
    }

    /** @return the filesystem store, which must exist; call only when not {@link #isDatabase()} */
    FileSystemModelStore openFileSystem() {
        String s = spec();
        Path dir;
        try {
            dir = Path.of(s);
        } catch (InvalidPathException e) {
            throw CliException.usage("registry " + s + ": not a path: " + e.getMessage());
        }
        if (!Files.isDirectory(dir)) {
            throw CliException.usage("registry " + dir + ": no such directory");
        }
        if (!Files.isRegularFile(dir.resolve("registry.json"))) {
            throw CliException.usage("registry " + dir + ": not a model registry (it has no registry.json)");
        }
        return FileSystemModelStore.open(dir);
    }

    /** @return the PostgreSQL store, which must exist; call only when {@link #isDatabase()} */
    PostgresModelStore openPostgres() {
        String url = spec();
        if (!url.startsWith(PostgresConnections.PREFIX)) {
            throw CliException.usage("registry " + PostgresConnections.display(url) + ": only "
                    + PostgresConnections.PREFIX + " URLs are supported");
        }
        PostgresModelStore.Builder b;
        try {
            b = PostgresModelStore.builder(new PostgresConnections(url, System.getenv())).schema(schema);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--schema " + schema + ": " + e.getMessage());
        }
        try {
            return b.requireExisting().build();
        } catch (StoreException e) {
            // the store's messages carry no URL and no password (it redacts the driver's)
            throw CliException.usage("registry " + display() + ": cannot be opened", e);
        }
    }

    /** An auditing store and the log it records in, both this command's: closing it closes both. */
    private static final class Audited extends ForwardingModelStore {
        private final AuditLog log;

        Audited(ModelStore store, AuditLog log) {
            super(store);
            this.log = log;
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                log.close();
            }
        }
    }
}
