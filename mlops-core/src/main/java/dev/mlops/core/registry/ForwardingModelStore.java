package dev.mlops.core.registry;

import dev.mlops.core.Subscription;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ModelStore} that forwards every call to another, so that a decorator overrides only what it
 * changes (Guava's {@code ForwardingObject}, Caffeine's forwarding caches). Every method of the
 * interface is forwarded explicitly, its conveniences ({@code get}, the note-less {@code setAlias},
 * {@code search(VersionQuery)}, ...) included: a decorator sees the call the caller made, and the
 * delegate receives that same call, so a store that implements a convenience better (one atomic
 * {@code openVersion}, say) keeps doing so beneath a decorator.
 *
 * <pre>{@code
 * final class CountingModelStore extends ForwardingModelStore {
 *     final LongAdder registrations = new LongAdder();
 *     CountingModelStore(ModelStore store) { super(store); }
 *     @Override public ModelVersion register(NewVersion request) {
 *         ModelVersion v = super.register(request);
 *         registrations.increment();
 *         return v;
 *     }
 * }
 * }</pre>
 *
 * <p>A decorator that must see every call of a kind overrides every method of that kind, the
 * conveniences too; what it does not override reaches the delegate unchanged. Thread-safe when the
 * delegate is: this class holds nothing but the delegate. {@link #close()} closes the delegate.
 */
public abstract class ForwardingModelStore implements ModelStore {
    private final ModelStore delegate;

    /**
     * @param delegate the store every call goes to
     */
    protected ForwardingModelStore(ModelStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the store every call goes to */
    protected final ModelStore delegate() {
        return delegate;
    }

    @Override
    public ModelVersion register(NewVersion request) {
        return delegate.register(request);
    }

    @Override
    public Optional<ModelVersion> find(ModelRef ref) {
        return delegate.find(ref);
    }

    @Override
    public ModelVersion get(ModelRef ref) {
        return delegate.get(ref);
    }

    @Override
    public InputStream open(ModelRef ref) {
        return delegate.open(ref);
    }

    @Override
    public OpenedVersion openVersion(ModelRef ref) {
        return delegate.openVersion(ref);
    }

    @Override
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        return delegate.children(parent);
    }

    @Override
    public Page<ModelVersion> versions(String model, PageRequest page) {
        return delegate.versions(model, page);
    }

    @Override
    public List<ModelSummary> models() {
        return delegate.models();
    }

    @Override
    public Optional<ModelSummary> model(String name) {
        return delegate.model(name);
    }

    @Override
    public ModelSummary annotateModel(String name, long expectedRevision, Annotations changes, ChangeNote note) {
        return delegate.annotateModel(name, expectedRevision, changes, note);
    }

    @Override
    public List<Tombstone> deleteModel(String name, ChangeNote note) {
        return delegate.deleteModel(name, note);
    }

    @Override
    public Page<ModelVersion> search(VersionQuery query, PageRequest page) {
        return delegate.search(query, page);
    }

    @Override
    public List<ModelVersion> search(VersionQuery query) {
        return delegate.search(query);
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note) {
        return delegate.setAlias(model, alias, version, expect, note);
    }

    @Override
    public AliasMove setAlias(String model, String alias, long version, AliasExpect expect) {
        return delegate.setAlias(model, alias, version, expect);
    }

    @Override
    public AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note) {
        return delegate.removeAlias(model, alias, expect, note);
    }

    @Override
    public AliasMove rollback(String model, String alias, ChangeNote note) {
        return delegate.rollback(model, alias, note);
    }

    @Override
    public AliasMove rollback(String model, String alias) {
        return delegate.rollback(model, alias);
    }

    @Override
    public List<AliasMove> aliasHistory(String model, String alias) {
        return delegate.aliasHistory(model, alias);
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note) {
        return delegate.annotate(ref, expectedRevision, changes, note);
    }

    @Override
    public ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes) {
        return delegate.annotate(ref, expectedRevision, changes);
    }

    @Override
    public List<ModelStoreEvent> events(long afterSequence, int max) {
        return delegate.events(afterSequence, max);
    }

    @Override
    public Tombstone delete(ModelRef ref, ChangeNote note) {
        return delegate.delete(ref, note);
    }

    @Override
    public Tombstone delete(ModelRef ref, String reason) {
        return delegate.delete(ref, reason);
    }

    @Override
    public List<Tombstone> tombstones(String model) {
        return delegate.tombstones(model);
    }

    @Override
    public Subscription subscribe(ModelStoreListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
