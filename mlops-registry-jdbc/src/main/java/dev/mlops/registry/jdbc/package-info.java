/**
 * PostgreSQL back ends. The entry point is {@link dev.mlops.registry.jdbc.PostgresModelStore}, a model
 * store on the application's {@link javax.sql.DataSource}, passing the same contract kit as the
 * in-memory and filesystem stores.
 */
package dev.mlops.registry.jdbc;
