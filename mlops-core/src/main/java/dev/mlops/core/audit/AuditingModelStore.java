package dev.mlops.core.audit;

import dev.mlops.core.Subscription;
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
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelStore} that records every change made through it in an {@link AuditLog}: one
 * {@link AuditEvent} per call, appended after the wrapped store's call returns or throws.
 *
 * <pre>{@code
 * AuditLog log = AuditLog.inMemory();
 * ModelStore store = AuditingModelStore.builder(new InMemoryModelStore(), log)
 *         .defaultActor("training-pipeline")
 *         .auditReads(true)
 *         .build();
 * store.setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6), ChangeNote.by("alice").because("better auc"));
 * // log: alice alias.set fraud-scorer@champion ALLOWED {expect=v6, from=6, reason=better auc, to=7}
 * }</pre>
 *
 * <h2>What a record holds</h2>
 * <ul>
 *   <li>actor: the {@link ChangeNote#actor()} of the call ({@link NewVersion#createdBy()} for a
 *       registration); when the call has no note, or its note names the anonymous
 *       {@link ChangeNote#NONE} actor {@code unknown}, the configured {@linkplain Builder#defaultActor
 *       default actor} ({@code unknown} unless set). Reads carry no note and record the default actor.</li>
 *   <li>action and target: from the stable vocabulary of {@link ModelStoreAction}.</li>
 *   <li>outcome: {@link AuditEvent.Outcome#ALLOWED} when the call returned;
 *       {@link AuditEvent.Outcome#FAILED} when it threw, with details {@code error} (the exception's
 *       class name) and {@code message} (its message, when it has one). The exception is rethrown
 *       unchanged: same instance, same type.</li>
 *   <li>details: what the call asked for and what it did. Registration: {@code version}, {@code digest},
 *       {@code size}, {@code parents}. Alias calls: {@code from} and {@code to} ({@code none} for no
 *       target), {@code expect}. Annotations: {@code expectedRevision}, {@code revision},
 *       {@code description}, {@code tags.put}, {@code tags.removed}. Deletions: {@code digest} or
 *       {@code versions}. Every call with a note: {@code reason} when it is not empty. Reads:
 *       {@code count}, {@code found}, {@code version}. Text that the audit rules refuse (control characters
 *       other than line feed and tab, unpaired surrogates) is recorded with U+FFFD in its place, and a
 *       value is cut to 4000 characters, so that a record can always be written.</li>
 * </ul>
 *
 * <h2>When the append fails</h2>
 * The store's call has already happened. When it succeeded, this store throws
 * {@link UnauditedOperationException} instead of returning its result: the change stands (there is no
 * undo), the caller learns that the log lacks it, and the exception carries the record that was lost.
 * The record is also logged at ERROR through SLF4J. When the store's call itself failed, its exception
 * is rethrown with the append's failure {@linkplain Throwable#addSuppressed added as suppressed}.
 * A stream opened by a read that cannot be recorded is closed before the exception is thrown.
 *
 * <p>Reads ({@code find}, {@code open}, listings, searches, {@code events}, {@code subscribe}) are
 * recorded only when {@link Builder#auditReads(boolean)} is set; they are forwarded untouched otherwise.
 * Thread-safe when the wrapped store and the log are: this class keeps no state of its own, and two
 * concurrent calls append their records in the order their store calls return, not necessarily the
 * order the store committed them (the store's own event {@link ModelStoreEvent#sequence() sequence}
 * gives that). {@link #close()} closes the wrapped store, not the log, which the application owns.
 */
public final class AuditingModelStore extends ForwardingModelStore {
    private static final Logger LOG = LoggerFactory.getLogger(AuditingModelStore.class);
    private static final int MAX_VALUE = 4000;
    private static final int MAX_ACTOR = 200;
    private static final int MAX_TARGET = 500;

    private final AuditLog log;
    private final String defaultActor;
    private final boolean auditReads;

    /**
     * Records every change, not reads, with {@code unknown} as the actor of calls without one.
     *
     * @param store the store to wrap
     * @param log where the records go
     */
    public AuditingModelStore(ModelStore store, AuditLog log) {
        this(store, log, ChangeNote.NONE.actor(), false);
    }

    private AuditingModelStore(ModelStore store, AuditLog log, String defaultActor, boolean auditReads) {
        super(store);
        this.log = Objects.requireNonNull(log, "log");
        this.defaultActor = defaultActor;
        this.auditReads = auditReads;
    }

    /**
     * @param store the store to wrap
     * @param log where the records go
     * @return a builder: changes recorded, reads not, default actor {@code unknown}
     */
    public static Builder builder(ModelStore store, AuditLog log) {
        return new Builder(store, log);
    }

    /** Builds an {@link AuditingModelStore}. Not thread-safe; setting an option twice fails fast. */
    public static final class Builder {
        private final ModelStore store;
        private final AuditLog log;
        private String defaultActor;
        private Boolean auditReads;

        private Builder(ModelStore store, AuditLog log) {
            this.store = Objects.requireNonNull(store, "store");
            this.log = Objects.requireNonNull(log, "log");
        }

        /**
         * @param actor who the records name when a call names nobody: this service's or pipeline's own
         *     identity (one line, 1 to 200 characters)
         * @return this
         */
        public Builder defaultActor(String actor) {
            if (defaultActor != null) {
                throw new IllegalStateException("defaultActor is already set");
            }
            dev.mlops.core.Texts.wellFormed("defaultActor", dev.mlops.core.Texts.line("defaultActor", actor, 1, MAX_ACTOR));
            defaultActor = actor;
            return this;
        }

        /**
         * @param enabled whether reads are recorded too, one record per call, with the actions
         *     {@code model.read}, {@code model.open}, {@code model.list}, ... of {@link ModelStoreAction}
         * @return this
         */
        public Builder auditReads(boolean enabled) {
            if (auditReads != null) {
                throw new IllegalStateException("auditReads is already set");
            }
            auditReads = enabled;
            return this;
        }

        /** @return the store */
        public AuditingModelStore build() {
            return new AuditingModelStore(store, log, defaultActor == null ? ChangeNote.NONE.actor() : defaultActor,
                    auditReads != null && auditReads);
        }
    }

    // ---------------------------------------------------------------- changes

    @Override
    public ModelVersion register(NewVersion request) {
        Map<String, String> asked = new LinkedHashMap<>();
        if (!request.lineage().parents().isEmpty()) {
            asked.put("parents", join(request.lineage().parents()));
        }
        request.expectedDigest().ifPresent(d -> asked.put("expectedDigest", d.toString()));
        return record(ModelStoreAction.REGISTER, actor(request.createdBy()), request.model(), asked,
                () -> super.register(request), v -> v.ref().toString(), (v, d) -> {
                    d.put("version", Long.toString(v.version()));
                    d.put("digest", v.digest().toString());
                    d.put("size", Long.toString(v.size()));
                });
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note) {
        Map<String, String> asked = annotations(expectedRevision, changes, note);
        return record(ModelStoreAction.ANNOTATE, actor(note.actor()), ref.toString(), asked,
                () -> super.annotate(ref, expectedRevision, changes, note), v -> v.ref().toString(),
                (v, d) -> d.put("revision", Long.toString(v.revision())));
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes) {
        return annotate(ref, expectedRevision, changes, ChangeNote.NONE);
    }

    @Override
    public ModelSummary annotateModel(String name, long expectedRevision, Annotations changes, ChangeNote note) {
        Map<String, String> asked = annotations(expectedRevision, changes, note);
        return record(ModelStoreAction.ANNOTATE_MODEL, actor(note.actor()), name, asked,
                () -> super.annotateModel(name, expectedRevision, changes, note), ModelSummary::model,
                (m, d) -> d.put("revision", Long.toString(m.revision())));
    }

    @Override
    public Tombstone delete(ModelRef ref, ChangeNote note) {
        return record(ModelStoreAction.DELETE, actor(note.actor()), ref.toString(), reason(note),
                () -> super.delete(ref, note), t -> ModelRef.of(t.model(), t.version()).toString(),
                (t, d) -> d.put("digest", t.digest().toString()));
    }

    @Override
    public Tombstone delete(ModelRef ref, String reason) {
        return delete(ref, ChangeNote.NONE.because(reason));
    }

    @Override
    public List<Tombstone> deleteModel(String name, ChangeNote note) {
        return record(ModelStoreAction.DELETE_MODEL, actor(note.actor()), name, reason(note),
                () -> super.deleteModel(name, note), t -> name, (t, d) -> {
                    d.put("count", Integer.toString(t.size()));
                    d.put("versions", t.stream().map(x -> Long.toString(x.version())).collect(Collectors.joining(", ")));
                });
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note) {
        Map<String, String> asked = reason(note);
        asked.put("to", Long.toString(version));
        asked.put("expect", expect.toString());
        return record(ModelStoreAction.SET_ALIAS, actor(note.actor()), model + "@" + alias, asked,
                () -> super.setAlias(model, alias, version, expect, note), m -> target(m), (m, d) -> d.put("from", text(m.from())));
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect) {
        return setAlias(model, alias, version, expect, ChangeNote.NONE);
    }

    @Override
    public AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note) {
        Map<String, String> asked = reason(note);
        asked.put("expect", expect.toString());
        return record(ModelStoreAction.REMOVE_ALIAS, actor(note.actor()), model + "@" + alias, asked,
                () -> super.removeAlias(model, alias, expect, note), m -> target(m), (m, d) -> {
                    d.put("from", text(m.from()));
                    d.put("to", text(m.to()));
                });
    }

    @Override
    public AliasMove rollback(String model, String alias, ChangeNote note) {
        return record(ModelStoreAction.ROLLBACK, actor(note.actor()), model + "@" + alias, reason(note),
                () -> super.rollback(model, alias, note), m -> target(m), (m, d) -> {
                    d.put("from", text(m.from()));
                    d.put("to", text(m.to()));
                });
    }

    @Override
    public AliasMove rollback(String model, String alias) {
        return rollback(model, alias, ChangeNote.NONE);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<ModelVersion> find(ModelRef ref) {
        if (!auditReads) {
            return super.find(ref);
        }
        return record(ModelStoreAction.READ, defaultActor, ref.toString(), new LinkedHashMap<>(), () -> super.find(ref),
                r -> ref.toString(), (r, d) -> {
                    d.put("found", Boolean.toString(r.isPresent()));
                    r.ifPresent(v -> d.put("version", Long.toString(v.version())));
                });
    }

    @Override
    public ModelVersion get(ModelRef ref) {
        if (!auditReads) {
            return super.get(ref);
        }
        return record(ModelStoreAction.READ, defaultActor, ref.toString(), new LinkedHashMap<>(), () -> super.get(ref),
                v -> ref.toString(), (v, d) -> {
                    d.put("found", "true");
                    d.put("version", Long.toString(v.version()));
                });
    }

    @Override
    public InputStream open(ModelRef ref) {
        if (!auditReads) {
            return super.open(ref);
        }
        InputStream[] opened = new InputStream[1];
        try {
            return record(ModelStoreAction.OPEN, defaultActor, ref.toString(), new LinkedHashMap<>(), () -> {
                opened[0] = super.open(ref);
                return opened[0];
            }, s -> ref.toString(), (s, d) -> { });
        } catch (UnauditedOperationException e) {
            closeQuietly(opened[0], e);
            throw e;
        }
    }

    @Override
    public OpenedVersion openVersion(ModelRef ref) {
        if (!auditReads) {
            return super.openVersion(ref);
        }
        OpenedVersion[] opened = new OpenedVersion[1];
        try {
            return record(ModelStoreAction.OPEN, defaultActor, ref.toString(), new LinkedHashMap<>(), () -> {
                opened[0] = super.openVersion(ref);
                return opened[0];
            }, o -> ref.toString(), (o, d) -> {
                d.put("version", Long.toString(o.version().version()));
                d.put("digest", o.version().digest().toString());
            });
        } catch (UnauditedOperationException e) {
            closeQuietly(opened[0] == null ? null : opened[0].stream(), e);
            throw e;
        }
    }

    @Override
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        return auditReads ? listing(ModelStoreAction.CHILDREN, parent.toString(), () -> super.children(parent))
                : super.children(parent);
    }

    @Override
    public Page<ModelVersion> versions(String model, PageRequest page) {
        if (!auditReads) {
            return super.versions(model, page);
        }
        return record(ModelStoreAction.VERSIONS, defaultActor, model, new LinkedHashMap<>(), () -> super.versions(model, page),
                p -> model, (p, d) -> d.put("count", Integer.toString(p.items().size())));
    }

    @Override
    public List<ModelSummary> models() {
        return auditReads ? listing(ModelStoreAction.LIST, "", super::models) : super.models();
    }

    @Override
    public Optional<ModelSummary> model(String name) {
        if (!auditReads) {
            return super.model(name);
        }
        return record(ModelStoreAction.SUMMARY, defaultActor, name, new LinkedHashMap<>(), () -> super.model(name),
                m -> name, (m, d) -> d.put("found", Boolean.toString(m.isPresent())));
    }

    @Override
    public Page<ModelVersion> search(VersionQuery query, PageRequest page) {
        if (!auditReads) {
            return super.search(query, page);
        }
        String target = query.model().orElse("");
        return record(ModelStoreAction.SEARCH, defaultActor, target, new LinkedHashMap<>(), () -> super.search(query, page),
                p -> target, (p, d) -> d.put("count", Integer.toString(p.items().size())));
    }

    @Override
    public List<ModelVersion> search(VersionQuery query) {
        return auditReads ? listing(ModelStoreAction.SEARCH, query.model().orElse(""), () -> super.search(query))
                : super.search(query);
    }

    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        return auditReads ? listing(ModelStoreAction.ALIAS_HISTORY, model + "@" + alias, () -> super.aliasHistory(model, alias))
                : super.aliasHistory(model, alias);
    }

    @Override
    public List<ModelStoreEvent> events(long afterSequence, int max) {
        if (!auditReads) {
            return super.events(afterSequence, max);
        }
        Map<String, String> asked = new LinkedHashMap<>();
        asked.put("afterSequence", Long.toString(afterSequence));
        return record(ModelStoreAction.EVENTS, defaultActor, "", asked, () -> super.events(afterSequence, max), e -> "",
                (e, d) -> d.put("count", Integer.toString(e.size())));
    }

    @Override
    public List<Tombstone> tombstones(String model) {
        return auditReads ? listing(ModelStoreAction.TOMBSTONES, model, () -> super.tombstones(model)) : super.tombstones(model);
    }

    @Override
    public Subscription subscribe(ModelStoreListener listener) {
        if (!auditReads) {
            return super.subscribe(listener);
        }
        return record(ModelStoreAction.SUBSCRIBE, defaultActor, "", new LinkedHashMap<>(), () -> super.subscribe(listener),
                s -> "", (s, d) -> { });
    }

    @Override
    public String toString() {
        return "AuditingModelStore[" + delegate() + " -> " + log + (auditReads ? ", reads too" : "") + "]";
    }

    // ---------------------------------------------------------------- recording

    private <T extends Collection<?>> T listing(ModelStoreAction action, String target, Supplier<T> call) {
        return record(action, defaultActor, target, new LinkedHashMap<>(), call, r -> target,
                (r, d) -> d.put("count", Integer.toString(r.size())));
    }

    /**
     * Runs {@code call} and appends one record: FAILED with what was {@code asked} and the error when the
     * call throws (rethrown as is), ALLOWED with what was asked and what {@code done} adds when it returns.
     */
    private <T> T record(ModelStoreAction action, String actor, String failedTarget, Map<String, String> asked,
            Supplier<T> call, Function<T, String> target, BiConsumer<T, Map<String, String>> done) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            Map<String, String> details = new LinkedHashMap<>(asked);
            details.put("error", e.getClass().getName());
            if (e.getMessage() != null) {
                details.put("message", e.getMessage());
            }
            try {
                log.append(event(actor, action, failedTarget, AuditEvent.Outcome.FAILED, details));
            } catch (RuntimeException appendFailure) {
                LOG.error("{} {} by {} failed in the store ({}), and its audit record could not be appended either",
                        action.action(), dev.mlops.core.Names.quote(failedTarget), dev.mlops.core.Names.quote(actor), e,
                        appendFailure);
                e.addSuppressed(appendFailure);
            }
            throw e;
        }
        Map<String, String> details = new LinkedHashMap<>(asked);
        done.accept(result, details);
        AuditEvent event = event(actor, action, target.apply(result), AuditEvent.Outcome.ALLOWED, details);
        try {
            log.append(event);
        } catch (RuntimeException appendFailure) {
            LOG.error("AUDIT GAP: {} succeeded in the store but could not be appended to the audit log", event,
                    appendFailure);
            throw new UnauditedOperationException(event, appendFailure);
        }
        return result;
    }

    private static AuditEvent event(String actor, ModelStoreAction action, String target, AuditEvent.Outcome outcome,
            Map<String, String> details) {
        Map<String, String> clean = new LinkedHashMap<>();
        details.forEach((k, v) -> clean.put(k, clip(sanitize(v, true), MAX_VALUE)));
        String who = clip(sanitize(actor, false), MAX_ACTOR);
        return new AuditEvent(who.isEmpty() ? ChangeNote.NONE.actor() : who, action.action(),
                clip(sanitize(target, false), MAX_TARGET), outcome, clean);
    }

    private String actor(String claimed) {
        return claimed.equals(ChangeNote.NONE.actor()) ? defaultActor : claimed;
    }

    private static Map<String, String> reason(ChangeNote note) {
        Map<String, String> d = new LinkedHashMap<>();
        if (!note.reason().isEmpty()) {
            d.put("reason", note.reason());
        }
        return d;
    }

    private static Map<String, String> annotations(long expectedRevision, Annotations changes, ChangeNote note) {
        Map<String, String> d = reason(note);
        d.put("expectedRevision", Long.toString(expectedRevision));
        changes.description().ifPresent(text -> d.put("description", text));
        if (!changes.putTags().isEmpty()) {
            d.put("tags.put", changes.putTags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        if (!changes.removeTags().isEmpty()) {
            d.put("tags.removed", String.join(", ", changes.removeTags()));
        }
        return d;
    }

    private static String target(AliasMove m) {
        return m.model() + "@" + m.alias();
    }

    private static String text(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "none";
    }

    private static String join(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    /** Replaces what the audit rules refuse with U+FFFD: control characters (line feed and tab kept in free text) and unpaired surrogates. */
    static String sanitize(String s, boolean freeText) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            boolean bad = !pair && Character.isSurrogate(c)
                    || Character.isISOControl(c) && !(freeText && (c == '\n' || c == '\t'));
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
                if (pair) {
                    b.append(s.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return b == null ? s : b.toString();
    }

    /** Cuts to at most {@code max} characters, never between the halves of a surrogate pair. */
    static String clip(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static void closeQuietly(InputStream in, UnauditedOperationException reason) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                reason.addSuppressed(e);
            }
        }
    }
}
