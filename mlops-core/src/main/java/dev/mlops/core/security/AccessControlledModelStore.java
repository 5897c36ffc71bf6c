package dev.mlops.core.security;

import dev.mlops.core.AccessDeniedException;
import dev.mlops.core.Names;
import dev.mlops.core.Subscription;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.ModelStoreAction;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ForwardingModelStore;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelStoreListener;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.OpenedVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.core.registry.VersionQuery;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A {@link ModelStore} that lets a {@link Principal} do only what an {@link AccessPolicy} grants it, and
 * records every decision in an {@link AuditLog}. The permission each call needs is tabled in
 * {@link Permission}; a call the principal may not make throws {@link AccessDeniedException} naming the
 * principal, the permission needed and the model, before the wrapped store sees it.
 *
 * <pre>{@code
 * AuditLog log = FileAuditLog.open(auditDir);
 * AccessControlledModelStore guarded = new AccessControlledModelStore(
 *         new AuditingModelStore(FileSystemModelStore.open(root), log), policy, log, RequestContext::principal);
 *
 * // in a request handler, for a caller the server authenticated:
 * ModelStore store = guarded.asUser(Principal.of(token.subject(), token.groups()));
 * store.setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6), ChangeNote.by(token.subject()));
 * }</pre>
 *
 * <h2>Who is calling</h2>
 * A server handles many users at once, so the principal is not fixed at construction. Either
 * <ul>
 *   <li>{@link #asUser(Principal)}: a view of the store bound to one principal, made per request or per
 *       session. It is one small object sharing everything else; closing it ends only the view. This is
 *       the explicit way, and the one to prefer; or</li>
 *   <li>the {@code caller} supplier given to the constructor, asked once at the start of each call made
 *       directly on this store: for applications that keep the authenticated user in a request context
 *       (a {@code ThreadLocal}, a framework's security context). A supplier that returns {@code null}
 *       makes the call fail with {@link IllegalStateException}, before any decision.</li>
 * </ul>
 *
 * <h2>What is recorded</h2>
 * Every call leaves exactly one record, appended <em>before</em> the wrapped store is called: actor the
 * principal's name, action and target from {@link ModelStoreAction}, outcome
 * {@link AuditEvent.Outcome#ALLOWED} or {@link AuditEvent.Outcome#DENIED}, and details {@code check}
 * ({@code access}, which tells these records from {@code AuditingModelStore}'s when both write to one log),
 * {@code permission} (what the call needs), {@code granted} (what the principal holds on the model,
 * {@code NONE} for nothing) and, when the caller's note named another actor, {@code claimedActor}. The record is a decision, not an outcome: an allowed call may still fail in
 * the store, which an {@code AuditingModelStore} underneath records. When the record cannot be appended
 * the call fails with the log's exception and the store is not called (fail closed). Names are checked
 * ({@link Names}) before anything is decided, so an invalid name throws
 * {@link dev.mlops.core.InvalidNameException} and leaves no record.
 *
 * <h2>Calls across models</h2>
 * {@code models()}, {@code search} without a model, {@code children}, {@code events} and
 * {@code subscribe} are never denied: their results are filtered to the models the principal may
 * READ, as MLflow's searches are, and their one record is ALLOWED with {@code permission} READ and
 * {@code granted} {@code filtered}. So a page of a search or of {@code events} may hold fewer items than
 * asked, even none, while a next page or later events exist, and the sequence numbers a principal sees
 * have gaps where other models' events were. A listener subscribed through this store hears only events
 * of models the principal may READ at the time of each event; the principal is the one calling
 * {@code subscribe}, fixed then, because events are delivered on whichever thread wrote them.
 *
 * <h2>The actor of record is the principal</h2>
 * The caller cannot choose who history says acted: the wrapped store receives every change with the
 * authenticated principal's name as its actor. A {@link ChangeNote} whose actor differs reaches the store
 * as {@code new ChangeNote(principal.name(), note.reason())} (the reason is kept); a
 * {@link NewVersion} whose {@link NewVersion#createdBy() createdBy} differs reaches it with the principal
 * as creator; a call without a note (the note-less {@code setAlias}, {@code rollback}, {@code annotate},
 * {@code delete(ref, reason)}) reaches it with {@code ChangeNote.by(principal.name())}. So alias moves,
 * tombstones, annotations, versions, the store's events and the records of an {@code AuditingModelStore}
 * underneath all name the principal, as MLflow records the authenticated user and never a client-supplied
 * one. When the caller claimed another actor, this store's decision record keeps the claim as the detail
 * {@code claimedActor} (not for the anonymous {@code unknown} of {@link ChangeNote#NONE}), so an attempt
 * is visible without ever being the actor of record. A service that acts for its users makes a view per
 * user with {@link #asUser}, rather than naming them in notes.
 *
 * <p>Thread-safe when the wrapped store, the policy and the log are; nothing is cached, so a policy that
 * changes takes effect on the next call. {@link #close()} on the store made by the constructor closes the wrapped store
 * (not the log); on a view it closes only the view. After either, calls through it throw
 * {@link IllegalStateException} and leave no record.
 */
public final class AccessControlledModelStore extends ForwardingModelStore {
    private final AccessPolicy policy;
    private final AuditLog log;
    private final Supplier<Principal> caller;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The store made by the constructor, for a view; null on that store itself. */
    private final AccessControlledModelStore root;

    /**
     * @param store the store to guard
     * @param policy who may do what
     * @param log where every decision is recorded
     * @param caller who calls, asked at the start of each call made directly on this store (not on its
     *     {@linkplain #asUser views})
     */
    public AccessControlledModelStore(ModelStore store, AccessPolicy policy, AuditLog log, Supplier<Principal> caller) {
        this(store, policy, log, caller, null);
    }

    private AccessControlledModelStore(ModelStore store, AccessPolicy policy, AuditLog log, Supplier<Principal> caller,
            AccessControlledModelStore root) {
        super(store);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.log = Objects.requireNonNull(log, "log");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.root = root;
    }

    /**
     * @param principal the caller, authenticated by the application
     * @return a view of this store through which every call is made as {@code principal}; closing it
     *     closes only the view
     */
    public AccessControlledModelStore asUser(Principal principal) {
        Objects.requireNonNull(principal, "principal");
        return new AccessControlledModelStore(delegate(), policy, log, () -> principal, root == null ? this : root);
    }

    // ---------------------------------------------------------------- calls on one model

    @Override
    public ModelVersion register(NewVersion request) {
        Principal p = require(ModelStoreAction.REGISTER, Permission.EDIT, request.model(), request.model(), request.createdBy());
        return super.register(stamped(p, request));
    }

    @Override
    public Optional<ModelVersion> find(ModelRef ref) {
        require(ModelStoreAction.READ, Permission.READ, ref);
        return super.find(ref);
    }

    @Override
    public ModelVersion get(ModelRef ref) {
        require(ModelStoreAction.READ, Permission.READ, ref);
        return super.get(ref);
    }

    @Override
    public InputStream open(ModelRef ref) {
        require(ModelStoreAction.OPEN, Permission.READ, ref);
        return super.open(ref);
    }

    @Override
    public OpenedVersion openVersion(ModelRef ref) {
        require(ModelStoreAction.OPEN, Permission.READ, ref);
        return super.openVersion(ref);
    }

    @Override
    public Page<ModelVersion> versions(String model, PageRequest page) {
        require(ModelStoreAction.VERSIONS, Permission.READ, Names.checkModel(model), model, null);
        return super.versions(model, page);
    }

    @Override
    public Optional<ModelSummary> model(String name) {
        require(ModelStoreAction.SUMMARY, Permission.READ, Names.checkModel(name), name, null);
        return super.model(name);
    }

    @Override
    public List<Tombstone> tombstones(String model) {
        require(ModelStoreAction.TOMBSTONES, Permission.READ, Names.checkModel(model), model, null);
        return super.tombstones(model);
    }

    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        require(ModelStoreAction.ALIAS_HISTORY, Permission.READ, Names.checkModel(model),
                model + "@" + Names.checkAlias(alias), null);
        return super.aliasHistory(model, alias);
    }

    @Override
    public ModelSummary annotateModel(String name, long expectedRevision, Annotations changes, ChangeNote note) {
        Principal p = require(ModelStoreAction.ANNOTATE_MODEL, Permission.EDIT, Names.checkModel(name), name, claimed(note));
        return super.annotateModel(name, expectedRevision, changes, stamped(p, note));
    }

    @Override
    public List<Tombstone> deleteModel(String name, ChangeNote note) {
        Principal p = require(ModelStoreAction.DELETE_MODEL, Permission.MANAGE, Names.checkModel(name), name, claimed(note));
        return super.deleteModel(name, stamped(p, note));
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note) {
        Principal p = require(ModelStoreAction.SET_ALIAS, Permission.EDIT, Names.checkModel(model),
                model + "@" + Names.checkAlias(alias), claimed(note));
        return super.setAlias(model, alias, version, expect, stamped(p, note));
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect) {
        Principal p = require(ModelStoreAction.SET_ALIAS, Permission.EDIT, Names.checkModel(model),
                model + "@" + Names.checkAlias(alias), null);
        return super.setAlias(model, alias, version, expect, ChangeNote.by(p.name()));
    }

    @Override
    public AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note) {
        Principal p = require(ModelStoreAction.REMOVE_ALIAS, Permission.MANAGE, Names.checkModel(model),
                model + "@" + Names.checkAlias(alias), claimed(note));
        return super.removeAlias(model, alias, expect, stamped(p, note));
    }

    @Override
    public AliasMove rollback(String model, String alias, ChangeNote note) {
        Principal p = require(ModelStoreAction.ROLLBACK, Permission.EDIT, Names.checkModel(model),
                model + "@" + Names.checkAlias(alias), claimed(note));
        return super.rollback(model, alias, stamped(p, note));
    }

    @Override
    public AliasMove rollback(String model, String alias) {
        Principal p = require(ModelStoreAction.ROLLBACK, Permission.EDIT, Names.checkModel(model),
                model + "@" + Names.checkAlias(alias), null);
        return super.rollback(model, alias, ChangeNote.by(p.name()));
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note) {
        Principal p = require(ModelStoreAction.ANNOTATE, annotating(changes), ref.model(), ref.toString(), claimed(note));
        return super.annotate(ref, expectedRevision, changes, stamped(p, note));
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes) {
        Principal p = require(ModelStoreAction.ANNOTATE, annotating(changes), ref);
        return super.annotate(ref, expectedRevision, changes, ChangeNote.by(p.name()));
    }

    @Override
    public Tombstone delete(ModelRef ref, ChangeNote note) {
        Principal p = require(ModelStoreAction.DELETE, Permission.MANAGE, ref.model(), ref.toString(), claimed(note));
        return super.delete(ref, stamped(p, note));
    }

    @Override
    public Tombstone delete(ModelRef ref, String reason) {
        Objects.requireNonNull(reason, "reason");
        Principal p = require(ModelStoreAction.DELETE, Permission.MANAGE, ref);
        return super.delete(ref, ChangeNote.by(p.name()).because(reason));
    }

    // ---------------------------------------------------------------- calls across models: filtered

    @Override
    public Page<ModelVersion> search(VersionQuery query, PageRequest page) {
        if (query.model().isPresent()) {
            require(ModelStoreAction.SEARCH, Permission.READ, query.model().get(), query.model().get(), null);
            return super.search(query, page);
        }
        Principal p = filtered(ModelStoreAction.SEARCH, "");
        Page<ModelVersion> found = super.search(query, page);
        return new Page<>(readable(p, found.items(), ModelVersion::model), found.next());
    }

    @Override
    public List<ModelVersion> search(VersionQuery query) {
        if (query.model().isPresent()) {
            require(ModelStoreAction.SEARCH, Permission.READ, query.model().get(), query.model().get(), null);
            return super.search(query);
        }
        Principal p = filtered(ModelStoreAction.SEARCH, "");
        List<ModelVersion> out = new ArrayList<>();
        PageRequest request = PageRequest.first(Math.min(query.limit(), PageRequest.MAX_SIZE));
        while (true) {
            Page<ModelVersion> page = delegate().search(query, request);
            out.addAll(readable(p, page.items(), ModelVersion::model));
            if (out.size() >= query.limit() || page.next().isEmpty()) {
                return List.copyOf(out.size() > query.limit() ? out.subList(0, query.limit()) : out);
            }
            request = page.next().get();
        }
    }

    @Override
    public List<ModelSummary> models() {
        Principal p = filtered(ModelStoreAction.LIST, "");
        return readable(p, super.models(), ModelSummary::model);
    }

    @Override
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        Principal p = filtered(ModelStoreAction.CHILDREN, parent.toString());
        return readable(p, super.children(parent), ModelVersion::model);
    }

    @Override
    public List<ModelStoreEvent> events(long afterSequence, int max) {
        Principal p = filtered(ModelStoreAction.EVENTS, "");
        return readable(p, super.events(afterSequence, max), ModelStoreEvent::model);
    }

    @Override
    public Subscription subscribe(ModelStoreListener listener) {
        Objects.requireNonNull(listener, "listener");
        Principal p = filtered(ModelStoreAction.SUBSCRIBE, "");
        return super.subscribe(event -> {
            if (policy.allows(p, Permission.READ, event.model())) {
                listener.onEvent(event);
            }
        });
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && root == null) {
            super.close();
        }
    }

    @Override
    public String toString() {
        return "AccessControlledModelStore[" + delegate() + ", " + policy + (root == null ? "" : ", a view") + "]";
    }

    // ---------------------------------------------------------------- deciding

    private static Permission annotating(Annotations changes) {
        return changes.removeTags().isEmpty() ? Permission.EDIT : Permission.MANAGE;
    }

    private Principal require(ModelStoreAction action, Permission needed, ModelRef ref) {
        return require(action, needed, ref.model(), ref.toString(), null);
    }

    /**
     * Decides one call on {@code model}, records the decision, and throws when it is a denial.
     *
     * @param claimed the actor the caller's note or request names, or null when it names none
     * @return the principal allowed
     */
    private Principal require(ModelStoreAction action, Permission needed, String model, String target, String claimed) {
        Principal p = caller();
        Optional<Permission> held = Objects.requireNonNull(policy.permission(p, model),
                "the access policy returned null instead of an Optional");
        boolean allowed = held.map(h -> h.covers(needed)).orElse(false);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("check", "access");
        details.put("permission", needed.name());
        details.put("granted", held.map(Permission::name).orElse("NONE"));
        if (claimed != null && !claimed.equals(p.name()) && !claimed.equals(ChangeNote.NONE.actor())) {
            details.put("claimedActor", claimed);
        }
        log.append(new AuditEvent(p.name(), action.action(), target,
                allowed ? AuditEvent.Outcome.ALLOWED : AuditEvent.Outcome.DENIED, details));
        if (!allowed) {
            throw new AccessDeniedException(Names.quote(p.name()) + " may not " + action.action() + " " + target
                    + ": that needs " + needed + " on model " + model + ", and "
                    + held.map(h -> "the principal holds only " + h).orElse("the principal holds no permission there"));
        }
        return p;
    }

    private static String claimed(ChangeNote note) {
        return Objects.requireNonNull(note, "note").actor();
    }

    /** The note the store gets: the authenticated principal as its actor, the caller's reason kept. */
    private static ChangeNote stamped(Principal p, ChangeNote note) {
        return note.actor().equals(p.name()) ? note : new ChangeNote(p.name(), note.reason());
    }

    /** The request the store gets: the authenticated principal as the version's creator. */
    private static NewVersion stamped(Principal p, NewVersion r) {
        if (r.createdBy().equals(p.name())) {
            return r;
        }
        return new NewVersion(r.model(), r.artifact(), r.description(), r.tags(), r.params(), r.metrics(), r.lineage(),
                r.signature(), p.name(), r.expectedDigest());
    }

    /** Records a call across models, whose results the caller filters to what the principal may read. */
    private Principal filtered(ModelStoreAction action, String target) {
        Principal p = caller();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("check", "access");
        details.put("permission", Permission.READ.name());
        details.put("granted", "filtered");
        log.append(new AuditEvent(p.name(), action.action(), target, AuditEvent.Outcome.ALLOWED, details));
        return p;
    }

    private <T> List<T> readable(Principal p, List<T> items, Function<T, String> model) {
        List<T> out = new ArrayList<>(items.size());
        for (T item : items) {
            if (policy.allows(p, Permission.READ, model.apply(item))) {
                out.add(item);
            }
        }
        return List.copyOf(out);
    }

    private Principal caller() {
        if (closed.get() || root != null && root.closed.get()) {
            throw new IllegalStateException(closed.get() ? "this access-controlled store is closed"
                    : "the access-controlled store this view belongs to is closed");
        }
        Principal p = caller.get();
        if (p == null) {
            throw new IllegalStateException("no caller: the principal supplier returned null");
        }
        return p;
    }
}
