/**
 * PostgreSQL back ends, on the application's {@link javax.sql.DataSource}, each passing the same contract
 * kit as the in-memory and filesystem implementations: {@link dev.mlops.registry.jdbc.PostgresModelStore},
 * a model store, and {@link dev.mlops.registry.jdbc.PostgresAuditLog}, an audit log whose records and
 * roots are those of the other logs, appended from many hosts in one order. Both keep their tables in one
 * versioned schema, so they can share a schema and table prefix.
 * {@link dev.mlops.registry.jdbc.PostgresModelStore#verify()} checks a store from the database up and
 * returns a {@link dev.mlops.registry.jdbc.VerifyReport};
 * {@link dev.mlops.registry.jdbc.PostgresModelStore#fsck()} also deletes the snapshots it finds wanting and
 * returns a {@link dev.mlops.registry.jdbc.PostgresFsckReport}.
 *
 * <pre>{@code
 * DataSource pool = ...;                                  // the application's pool
 * ModelStore store = PostgresModelStore.builder(pool).schema("mlops").build();
 * AuditLog log = PostgresAuditLog.builder(pool).schema("mlops").build();
 * }</pre>
 */
package dev.mlops.registry.jdbc;
