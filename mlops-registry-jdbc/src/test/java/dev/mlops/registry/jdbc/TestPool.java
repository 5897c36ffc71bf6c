package dev.mlops.registry.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The smallest connection pool that lets the tests run at database speed rather than at connection
 * setup speed, as an application's pool (HikariCP, say) would: a closed connection goes back to the
 * pool, rolled back and in auto-commit, unless it is broken. Unbounded; for tests only.
 */
final class TestPool implements ConnectionSource {
    private final DataSource target;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    TestPool(DataSource target) {
        this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical = idle.poll();
        if (physical == null || physical.isClosed()) {
            physical = target.getConnection();
        }
        Connection p = physical;
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            if (closed.compareAndSet(false, true)) {
                                giveBack(p);
                            }
                            return null;
                        }
                        case "isClosed" -> {
                            return closed.get() || p.isClosed();
                        }
                        default -> {
                            if (closed.get()) {
                                throw new SQLException("connection handle is closed", "08003");
                            }
                            try {
                                return method.invoke(p, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    private void giveBack(Connection p) {
        try {
            if (!p.getAutoCommit()) {
                p.rollback();
                p.setAutoCommit(true);
            }
            idle.add(p);
        } catch (SQLException e) {
            try {
                p.close();
            } catch (SQLException ignored) {
                // broken: dropped from the pool either way
            }
        }
    }
}
