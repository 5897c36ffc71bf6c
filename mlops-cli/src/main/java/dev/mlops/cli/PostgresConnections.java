package dev.mlops.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Connections to a PostgreSQL registry, a new one from the driver on each call: a command lives for one
 * call, and a pool would only add threads. The driver (PostgreSQL's JDBC driver, on the class path at
 * run time) is found by {@link DriverManager}. The user and password come from the environment
 * ({@value #USER}, {@value #PASSWORD}), never from the command line, where other users of the host can
 * read them; they are handed to the driver alone and never printed: {@link #toString()} and every
 * message name the URL as {@link #display(String)} gives it.
 */
final class PostgresConnections implements DataSource {
    /** The environment variable with the PostgreSQL user. */
    static final String USER = "MLOPS_PG_USER";
    /** The environment variable with the PostgreSQL password. */
    static final String PASSWORD = "MLOPS_PG_PASSWORD";
    /** The URLs this command opens as PostgreSQL registries. */
    static final String PREFIX = "jdbc:postgresql:";

    private final String url;
    private final Properties properties = new Properties();

    /**
     * @param url a {@code jdbc:postgresql:} URL
     * @param env the environment, for the user and password
     */
    PostgresConnections(String url, Map<String, String> env) {
        this.url = url;
        String user = env.get(USER);
        String password = env.get(PASSWORD);
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        // names the command in pg_stat_activity, for whoever watches the database
        properties.setProperty("ApplicationName", "mlops-cli");
    }

    /**
     * @param url a JDBC URL
     * @return it without what may carry a secret: its parameters ({@code ?user=...&password=...}) and any
     *     user-info before the host
     */
    static String display(String url) {
        return url.replaceFirst("[?;].*$", "").replaceFirst("//[^/]*@", "//");
    }

    @Override
    public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("user", username);
        p.setProperty("password", password);
        return DriverManager.getConnection(url, p);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver's own logging is off; nothing to redirect
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the URL's connectTimeout and loginTimeout parameters govern the driver
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + display(url);
    }
}
