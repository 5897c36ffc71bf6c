package dev.mlops.core.audit;

import java.util.Arrays;
import java.util.Optional;

/**
 * The stable vocabulary of {@link AuditEvent#action() actions} that {@link AuditingModelStore} and
 * {@code dev.mlops.core.security.AccessControlledModelStore} record for the calls of a
 * {@link dev.mlops.core.registry.ModelStore}. The action texts are part of the audit format: they are
 * never renamed, so that a query written today finds the records of years ago.
 *
 * <pre>{@code
 * List<AuditRecord> moves = log.query(AuditQuery.builder()
 *         .action(ModelStoreAction.SET_ALIAS.action()).target("fraud-scorer@champion").build());
 * }</pre>
 *
 * <table>
 *   <caption>Actions and their targets</caption>
 *   <tr><th>action</th><th>store call</th><th>target</th></tr>
 *   <tr><td>{@code model.register}</td><td>register</td><td>{@code model:version} ({@code model} when it failed)</td></tr>
 *   <tr><td>{@code model.annotate}</td><td>annotate</td><td>{@code model:version}, or the reference as given when it failed</td></tr>
 *   <tr><td>{@code model.delete}</td><td>delete</td><td>{@code model:version}, or the reference as given when it failed</td></tr>
 *   <tr><td>{@code model.annotate-model}</td><td>annotateModel</td><td>{@code model}</td></tr>
 *   <tr><td>{@code model.delete-model}</td><td>deleteModel</td><td>{@code model}</td></tr>
 *   <tr><td>{@code alias.set}</td><td>setAlias</td><td>{@code model@alias}</td></tr>
 *   <tr><td>{@code alias.remove}</td><td>removeAlias</td><td>{@code model@alias}</td></tr>
 *   <tr><td>{@code alias.rollback}</td><td>rollback</td><td>{@code model@alias}</td></tr>
 *   <tr><td>{@code model.read}</td><td>find, get</td><td>the reference as given: {@code model:7}, {@code model@alias}, {@code model:latest}</td></tr>
 *   <tr><td>{@code model.open}</td><td>open, openVersion</td><td>the reference as given</td></tr>
 *   <tr><td>{@code model.versions}</td><td>versions</td><td>{@code model}</td></tr>
 *   <tr><td>{@code model.summary}</td><td>model</td><td>{@code model}</td></tr>
 *   <tr><td>{@code model.tombstones}</td><td>tombstones</td><td>{@code model}</td></tr>
 *   <tr><td>{@code model.children}</td><td>children</td><td>the parent, {@code model:version}</td></tr>
 *   <tr><td>{@code alias.history}</td><td>aliasHistory</td><td>{@code model@alias}</td></tr>
 *   <tr><td>{@code model.list}</td><td>models</td><td>empty</td></tr>
 *   <tr><td>{@code model.search}</td><td>search</td><td>the query's model, or empty for a search of every model</td></tr>
 *   <tr><td>{@code store.events}</td><td>events</td><td>empty</td></tr>
 *   <tr><td>{@code store.subscribe}</td><td>subscribe</td><td>empty</td></tr>
 * </table>
 */
public enum ModelStoreAction {
    /** A new version: {@code model.register}. */
    REGISTER("model.register", true),
    /** A version's description and tags changed: {@code model.annotate}. */
    ANNOTATE("model.annotate", true),
    /** A version deleted: {@code model.delete}. */
    DELETE("model.delete", true),
    /** A model's own description and tags changed: {@code model.annotate-model}. */
    ANNOTATE_MODEL("model.annotate-model", true),
    /** A whole model deleted: {@code model.delete-model}. */
    DELETE_MODEL("model.delete-model", true),
    /** An alias pointed at a version: {@code alias.set}. */
    SET_ALIAS("alias.set", true),
    /** An alias removed: {@code alias.remove}. */
    REMOVE_ALIAS("alias.remove", true),
    /** An alias moved back: {@code alias.rollback}. */
    ROLLBACK("alias.rollback", true),
    /** A version's metadata read: {@code model.read}. */
    READ("model.read", false),
    /** A version's artifact opened: {@code model.open}. */
    OPEN("model.open", false),
    /** A model's versions listed: {@code model.versions}. */
    VERSIONS("model.versions", false),
    /** A model's summary read: {@code model.summary}. */
    SUMMARY("model.summary", false),
    /** A model's tombstones listed: {@code model.tombstones}. */
    TOMBSTONES("model.tombstones", false),
    /** A version's children listed: {@code model.children}. */
    CHILDREN("model.children", false),
    /** An alias's history read: {@code alias.history}. */
    ALIAS_HISTORY("alias.history", false),
    /** Every model listed: {@code model.list}. */
    LIST("model.list", false),
    /** Versions searched: {@code model.search}. */
    SEARCH("model.search", false),
    /** The store's event sequence read: {@code store.events}. */
    EVENTS("store.events", false),
    /** A listener subscribed: {@code store.subscribe}. */
    SUBSCRIBE("store.subscribe", false);

    private final String action;
    private final boolean mutation;

    ModelStoreAction(String action, boolean mutation) {
        this.action = action;
        this.mutation = mutation;
    }

    /** @return the text recorded as {@link AuditEvent#action()} */
    public String action() {
        return action;
    }

    /** @return whether the call changes the store */
    public boolean mutation() {
        return mutation;
    }

    /**
     * @param action an action text from a record
     * @return the constant that records it, empty for any other text
     */
    public static Optional<ModelStoreAction> of(String action) {
        return Arrays.stream(values()).filter(a -> a.action.equals(action)).findFirst();
    }
}
