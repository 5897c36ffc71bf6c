package dev.mlops.core.audit;

import dev.mlops.core.MlopsException;
import java.util.Objects;

/**
 * A store call succeeded, but its audit record could not be appended: a change <em>has happened</em>
 * (a version is registered, an alias moved), or a recorded read was served, and the log does not say so. Thrown by
 * {@link AuditingModelStore} instead of the call's result, so that the gap is never silent; the record
 * that was lost is {@link #event()}, and the append's failure is the cause.
 *
 * <pre>{@code
 * try {
 *     store.setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6), note);
 * } catch (UnauditedOperationException e) {
 *     pager.alert("audit gap: " + e.getMessage());   // the alias did move
 *     fallbackLog.write(e.event());
 * }
 * }</pre>
 */
public final class UnauditedOperationException extends MlopsException {
    private static final long serialVersionUID = 1L;

    private final transient AuditEvent event;

    /**
     * @param event the record that could not be appended
     * @param cause why the append failed
     */
    public UnauditedOperationException(AuditEvent event, Throwable cause) {
        super(Objects.requireNonNull(event, "event").action() + " " + event.target() + " by " + event.actor()
                + " succeeded in the store, but its audit record could not be appended: " + cause, cause);
        this.event = event;
    }

    /** @return the record that could not be appended, for the caller to keep elsewhere */
    public AuditEvent event() {
        return event;
    }
}
