package dev.mlops.registry.jdbc;

import dev.mlops.core.StoreException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a {@link SQLException} into the library's exceptions. A driver's or pool's message may carry a
 * connection URL, and a URL may carry a password ({@code jdbc:postgresql://h/db?password=...} or
 * {@code user:secret@host}); so no driver text reaches a message or a cause unredacted: URLs and
 * {@code password=} settings are cut out, and the cause is a redacted copy of the driver's exception
 * (same SQLState, vendor code and stack trace, no chained causes).
 */
final class SqlFailures {
    /** Serialization failure: another transaction's commit conflicts; the transaction can run again. */
    static final String SERIALIZATION_FAILURE = "40001";
    /** Deadlock detected: this transaction was chosen as the victim; it can run again. */
    static final String DEADLOCK = "40P01";
    /** lock_not_available: a lock was not granted within {@code lock_timeout}. */
    static final String LOCK_NOT_AVAILABLE = "55P03";

    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:(//|[A-Za-z][A-Za-z0-9+.-]*:)\\S*");
    private static final Pattern USER_INFO = Pattern.compile("[^\\s/@:]+:[^\\s/@]+@");
    private static final Pattern PASSWORD = Pattern.compile("(?i)(password|passwd|pwd)\\s*[=:]\\s*\\S+");

    private SqlFailures() {
    }

    /** @return whether the transaction failed for a reason that running it again may not meet */
    static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state);
    }

    /** @return whether a lock wait ran past {@code lock_timeout} */
    static boolean lockTimeout(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState());
    }

    /**
     * @param what what was being done, on which model or table
     * @param e the driver's failure
     * @return a store exception naming the operation and the SQLState, its message and cause redacted
     */
    static StoreException store(String what, SQLException e) {
        StoreException out = new StoreException(what + " failed" + describe(e));
        out.initCause(redacted(e));
        return out;
    }

    /** @return {@code " (SQLState 40001): <redacted message>"}, or as much of it as the driver gave */
    static String describe(SQLException e) {
        String state = Optional.ofNullable(e.getSQLState()).map(s -> " (SQLState " + s + ")").orElse("");
        String message = Optional.ofNullable(e.getMessage()).map(SqlFailures::redact).orElse("");
        return state + (message.isEmpty() ? "" : ": " + message);
    }

    /**
     * @param text a driver's message
     * @return it with URLs, user-info and password settings replaced by {@code <redacted>}
     */
    static String redact(String text) {
        String out = URL.matcher(text).replaceAll("<redacted URL>");
        out = USER_INFO.matcher(out).replaceAll("<redacted>@");
        return PASSWORD.matcher(out).replaceAll("$1=<redacted>");
    }

    private static SQLException redacted(SQLException e) {
        SQLException copy = new SQLException(e.getMessage() == null ? null : redact(e.getMessage()), e.getSQLState(),
                e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
