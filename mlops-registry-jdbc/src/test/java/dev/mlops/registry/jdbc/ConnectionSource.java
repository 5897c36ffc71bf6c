package dev.mlops.registry.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} the tests make from one method, {@link #getConnection()}: connecting as another
 * user, log writers, login timeouts and unwrapping are not supported, and say so.
 */
interface ConnectionSource extends DataSource {
    @Override
    default Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("this test data source connects as one user");
    }

    @Override
    default PrintWriter getLogWriter() {
        return null;
    }

    @Override
    default void setLogWriter(PrintWriter out) {
        // no log writer: the driver's own logging stays off
    }

    @Override
    default void setLoginTimeout(int seconds) {
        // the driver's default applies
    }

    @Override
    default int getLoginTimeout() {
        return 0;
    }

    @Override
    default Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    default <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    default boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
