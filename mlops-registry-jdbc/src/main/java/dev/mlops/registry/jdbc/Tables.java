package dev.mlops.registry.jdbc;

import dev.mlops.core.Names;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The table names of the module's store and audit log, qualified by their schema and prefix. Identifiers
 * cannot be bound as statement parameters, so the only parts a user chooses, the schema and the prefix,
 * are checked against an allow-list ({@code [a-z_][a-z0-9_]*}) before they go into any statement, and then
 * double-quoted.
 */
final class Tables {
    /** PostgreSQL truncates identifiers at 63 bytes; a table's name must stay whole. */
    static final int MAX_IDENTIFIER = 63;
    /**
     * The longest prefix: {@link #MAX_IDENTIFIER} less the longest suffix, {@code artifact_chunks} (15), so
     * that every table's name stays whole. A literal, so that Javadoc can show its value.
     */
    static final int MAX_PREFIX = 48;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    final Optional<String> schema;
    final String prefix;
    final String schemaVersion;
    final String models;
    final String changes;
    final String eventCounter;
    final String events;
    final String artifacts;
    final String artifactChunks;
    final String blobIds;
    final String auditHead;
    final String auditRecords;
    final String snapshots;

    Tables(Optional<String> schema, String prefix) {
        schema.ifPresent(Tables::checkSchema);
        checkPrefix(prefix);
        this.schema = schema;
        this.prefix = prefix;
        schemaVersion = name("schema_version");
        models = name("models");
        changes = name("changes");
        eventCounter = name("event_counter");
        events = name("events");
        artifacts = name("artifacts");
        artifactChunks = name("artifact_chunks");
        blobIds = name("blob_ids");
        auditHead = name("audit_head");
        auditRecords = name("audit_records");
        snapshots = name("snapshots");
    }

    /** @return every table and sequence, for messages and for tests */
    List<String> all() {
        return List.of(schemaVersion, models, changes, eventCounter, events, artifacts, artifactChunks, blobIds,
                auditHead, auditRecords, snapshots);
    }

    /** @return the quoted schema, or empty */
    Optional<String> quotedSchema() {
        return schema.map(s -> '"' + s + '"');
    }

    /** @return where the tables are, for messages: {@code schema "x", prefix "mlops_"} */
    String describe() {
        return schema.map(s -> "schema \"" + s + "\", ").orElse("") + "table prefix \"" + prefix + "\"";
    }

    private String name(String table) {
        String quoted = '"' + prefix + table + '"';
        return schema.map(s -> '"' + s + "\"." + quoted).orElse(quoted);
    }

    /** @throws IllegalArgumentException when {@code name} is not an allowed schema name */
    static void checkSchema(String name) {
        check("schema", name, MAX_IDENTIFIER);
    }

    /** @throws IllegalArgumentException when {@code prefix} is neither empty nor an allowed table prefix */
    static void checkPrefix(String prefix) {
        if (!prefix.isEmpty()) {
            check("table prefix", prefix, MAX_PREFIX);
        }
    }

    private static void check(String what, String value, int maxLength) {
        if (value.length() > maxLength || !IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match [a-z_][a-z0-9_]* and have at most " + maxLength
                    + " characters, was " + Names.quote(value));
        }
    }
}
