/**
 * mlops PostgreSQL back ends: a model store and an audit log in a database the application connects to
 * through its own {@link javax.sql.DataSource}.
 */
module dev.mlops.registry.jdbc {
    requires transitive dev.mlops.core;
    requires transitive java.sql;
    requires org.slf4j;

    exports dev.mlops.registry.jdbc;
}
