package dev.mlops.core.internal;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.core.registry.VersionQuery;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry's rules for one model, written once and storage-agnostic: version numbering, aliases with
 * compare-and-set, their history and rollback, annotation revisions, tombstones and the delete rules.
 * Every store keeps its models' state in ledgers (loaded from wherever it persists them) and changes it
 * in two steps, so that an operation happens whole or not at all:
 *
 * <ol>
 *   <li>{@code plan...} checks the operation against the rules and returns the {@link Change} it would
 *       make, touching nothing; everything that can fail (validation, compare-and-set, the clock, which
 *       the caller reads before planning) fails here;</li>
 *   <li>the store persists the change (the in-memory store has nothing to persist), and only then calls
 *       {@link #apply(Change)}, which cannot fail on a planned change, and publishes
 *       its event.</li>
 * </ol>
 *
 * <p>Not thread-safe: the store holds the model's lock (and, across processes, its file lock or
 * transaction) from planning to applying. Queries answer in O(log n) plus the size of the answer.
 */
public final class ModelLedger {
    /** How many moves of one alias are kept, in its history and its rollback stack; older ones are dropped. */
    public static final int MAX_ALIAS_HISTORY = 1000;

    private final String model;
    private long highest;
    private String description = "";
    private Map<String, String> tags = Map.of();
    private Instant createdAt;
    private Instant updatedAt;
    private long revision = 1;
    /** Deleted as a whole, and not registered to since: not listed, not found. */
    private boolean deleted;
    private final TreeMap<Long, ModelVersion> live = new TreeMap<>();
    /** The live versions in {@link ModelStore#NEWEST_FIRST} order, for search. */
    private final TreeSet<ModelVersion> newestFirst = new TreeSet<>(ModelStore.NEWEST_FIRST);
    /** Per alias, the targets a rollback walks back through; the first is the current target. */
    private final Map<String, Deque<Long>> targets = new HashMap<>();
    private final Map<String, Deque<AliasMove>> history = new HashMap<>();
    private final TreeMap<Long, Tombstone> tombstones = new TreeMap<>();
    /** Per metric, its values and, for each, the live versions that have it, newest first. */
    private final Map<String, TreeMap<Double, TreeSet<Long>>> byMetric = new HashMap<>();
    /** Reverse lineage: per parent (of any model), the numbers of this model's live versions derived from it. */
    private final Map<ModelRef.ByVersion, TreeSet<Long>> children = new HashMap<>();

    /**
     * @param model the model's name
     */
    public ModelLedger(String model) {
        this.model = Names.checkModel(model);
    }

    /** @return the model's name */
    public String model() {
        return model;
    }

    /**
     * A planned change to one model, to persist and then {@link #apply(Change)}; {@link #event} then
     * gives the event that announces it.
     */
    public sealed interface Change permits Registered, AliasChanged, Annotated, Deleted, ModelAnnotated, ModelDeleted {
    }

    /**
     * A new version.
     *
     * @param version the version as it will be stored
     */
    public record Registered(ModelVersion version) implements Change {
    }

    /**
     * An alias set, rolled back or removed.
     *
     * @param move the move, as it enters the alias's history
     * @param targetsAfter the alias's rollback stack after the move, current target first (empty when removed)
     */
    public record AliasChanged(AliasMove move, List<Long> targetsAfter) implements Change {
        /**
         * Copies the stack.
         *
         * @param move the move, as it enters the alias's history
         * @param targetsAfter the alias's rollback stack after the move, current target first (empty when removed)
         */
        public AliasChanged {
            targetsAfter = List.copyOf(targetsAfter);
        }
    }

    /**
     * New annotations on a version.
     *
     * @param version the version after the change, at its next revision
     * @param note who changed it, and why
     * @param at when
     */
    public record Annotated(ModelVersion version, ChangeNote note, Instant at) implements Change {
    }

    /**
     * A version deleted.
     *
     * @param tombstone what stays of it
     */
    public record Deleted(Tombstone tombstone) implements Change {
    }

    /**
     * New description and tags on the model itself.
     *
     * @param description the model's description after the change
     * @param tags its tags after the change
     * @param revision its revision after the change
     * @param at when
     * @param note who and why
     */
    public record ModelAnnotated(String description, Map<String, String> tags, long revision, Instant at,
            ChangeNote note) implements Change {
        /**
         * Copies the tags.
         *
         * @param description the model's description after the change
         * @param tags its tags after the change
         * @param revision its revision after the change
         * @param at when
         * @param note who and why
         */
        public ModelAnnotated {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * The whole model deleted.
     *
     * @param tombstones what remains of each live version
     * @param at when
     * @param note who and why
     */
    public record ModelDeleted(List<Tombstone> tombstones, Instant at, ChangeNote note) implements Change {
        /**
         * Copies the tombstones.
         *
         * @param tombstones what remains of each live version
         * @param at when
         * @param note who and why
         */
        public ModelDeleted {
            tombstones = List.copyOf(tombstones);
        }
    }

    /**
     * The event of an applied change; call right after {@link #apply(Change)}.
     *
     * @param change the change just applied
     * @param sequence its position in the store's sequence
     * @return its event
     */
    public ModelStoreEvent event(Change change, long sequence) {
        if (change instanceof Registered r) {
            return new ModelStoreEvent.Registered(sequence, r.version());
        }
        if (change instanceof AliasChanged a) {
            return new ModelStoreEvent.AliasMoved(sequence, a.move());
        }
        if (change instanceof Annotated a) {
            return new ModelStoreEvent.Annotated(sequence, a.version(), a.note());
        }
        if (change instanceof Deleted d) {
            return new ModelStoreEvent.Deleted(sequence, d.tombstone());
        }
        if (change instanceof ModelAnnotated a) {
            return new ModelStoreEvent.ModelAnnotated(sequence, summary(), a.note());
        }
        ModelDeleted d = (ModelDeleted) change;
        return new ModelStoreEvent.ModelDeleted(sequence, model, d.tombstones(), d.note());
    }

    // ---- planning --------------------------------------------------------------------------------------

    /**
     * @param request what to register
     * @param digest the artifact's SHA-256, as read
     * @param size the artifact's size in bytes, as read
     * @param now the creation time, read from the store's clock before planning
     * @return the new version, numbered one past the highest ever given (deleted numbers are never reused)
     * @throws ModelNotFoundException when a lineage parent in this model is not live (parents in other
     *     models are the store's to check, under their own models' locks)
     */
    public Registered planRegister(NewVersion request, Sha256 digest, long size, Instant now) {
        requireThisModel(request.model());
        for (ModelRef.ByVersion parent : request.lineage().parents()) {
            if (parent.model().equals(model) && !live.containsKey(parent.version())) {
                throw new ModelNotFoundException("lineage parent " + parent + " of a new version of " + model
                        + " is not a live version");
            }
        }
        if (highest == Long.MAX_VALUE) {
            throw new ConflictException("model " + model + " has used every version number");
        }
        return new Registered(new ModelVersion(model, highest + 1, digest, size, now, request.createdBy(),
                request.description(), request.tags(), request.params(), request.metrics(), request.lineage(),
                request.signature(), 1));
    }

    /**
     * @param alias the alias
     * @param version the version it is to point at, live
     * @param expect what the alias must point at now
     * @param note who and why
     * @param now when, read before planning
     * @return the move
     * @throws ModelNotFoundException when the version is not live
     * @throws ConcurrentUpdateException when the alias does not point where {@code expect} says
     */
    public AliasChanged planSetAlias(String alias, long version, AliasExpect expect, ChangeNote note, Instant now) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        ModelRef.ByVersion target = ModelRef.of(model, version);
        if (!live.containsKey(version)) {
            throw ModelNotFoundException.of(target);
        }
        OptionalLong current = current(alias);
        checkExpectation(alias, expect, current);
        List<Long> after = new ArrayList<>(targets.getOrDefault(alias, new ArrayDeque<>()));
        if (current.isEmpty() || current.getAsLong() != version) {
            after.add(0, version);
        }
        trim(after);
        return new AliasChanged(new AliasMove(model, alias, AliasMove.Kind.SET, current, OptionalLong.of(version), now,
                note.actor(), note.reason()), after);
    }

    /**
     * @param alias the alias
     * @param expect what it must point at now
     * @param note who and why
     * @param now when, read before planning
     * @return the removal
     * @throws ModelNotFoundException when the alias is not set
     * @throws ConcurrentUpdateException when the alias does not point where {@code expect} says
     */
    public AliasChanged planRemoveAlias(String alias, AliasExpect expect, ChangeNote note, Instant now) {
        Names.checkAlias(alias);
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(note, "note");
        OptionalLong current = current(alias);
        if (current.isEmpty()) {
            throw new ModelNotFoundException("no alias " + model + "@" + alias);
        }
        checkExpectation(alias, expect, current);
        return new AliasChanged(new AliasMove(model, alias, AliasMove.Kind.REMOVE, current, OptionalLong.empty(), now,
                note.actor(), note.reason()), List.of());
    }

    /**
     * Undoes the alias's last move: back to the most recent earlier target still live, skipping targets
     * deleted since.
     *
     * @param alias the alias
     * @param note who and why
     * @param now when, read before planning
     * @return the move back
     * @throws ModelNotFoundException when the alias is not set
     * @throws ConflictException when no earlier target is live
     */
    public AliasChanged planRollback(String alias, ChangeNote note, Instant now) {
        Names.checkAlias(alias);
        Objects.requireNonNull(note, "note");
        Deque<Long> stack = targets.get(alias);
        if (stack == null || stack.isEmpty()) {
            throw new ModelNotFoundException("no alias " + model + "@" + alias);
        }
        long from = stack.peekFirst();
        List<Long> after = new ArrayList<>(stack);
        int to = -1;
        for (int i = 1; i < after.size(); i++) {
            if (live.containsKey(after.get(i))) {
                to = i;
                break;
            }
        }
        if (to < 0) {
            throw new ConflictException("alias " + model + "@" + alias + " has no earlier live target to roll back"
                    + " to from v" + from);
        }
        long target = after.get(to);
        after.subList(0, to).clear();
        return new AliasChanged(new AliasMove(model, alias, AliasMove.Kind.ROLLBACK, OptionalLong.of(from),
                OptionalLong.of(target), now, note.actor(), note.reason()), after);
    }

    /**
     * @param ref the version
     * @param expectedRevision the revision the caller read
     * @param changes the new description and tag changes
     * @param note who changes it, and why
     * @param now when, read before planning
     * @return the version at its next revision
     * @throws ModelNotFoundException when {@code ref} resolves to no live version
     * @throws ConcurrentUpdateException when the version is at another revision
     */
    public Annotated planAnnotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note,
            Instant now) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        ModelVersion v = resolveOrThrow(ref);
        if (v.revision() != expectedRevision) {
            throw new ConcurrentUpdateException(v.ref() + " is at revision " + v.revision() + ", expected "
                    + expectedRevision);
        }
        return new Annotated(v.annotated(changes.description().orElse(v.description()), changes.applyTo(v.tags())), note,
                now);
    }

    /**
     * @param ref the version
     * @param note who and why
     * @param now when, read before planning
     * @return its tombstone
     * @throws ModelNotFoundException when {@code ref} resolves to no live version
     * @throws ConflictException when an alias points at it
     */
    public Deleted planDelete(ModelRef ref, ChangeNote note, Instant now) {
        Objects.requireNonNull(note, "note");
        ModelVersion v = resolveOrThrow(ref);
        List<String> aliases = aliasesOf(v.version());
        if (!aliases.isEmpty()) {
            throw new ConflictException("cannot delete " + v.ref() + ": aliases " + aliases
                    + " point at it; move or remove them first");
        }
        return new Deleted(new Tombstone(model, v.version(), v.digest(), now, note.actor(), note.reason()));
    }

    /**
     * @param expectedRevision the model revision the caller read
     * @param changes the new description and tag changes
     * @param note who and why
     * @param now when, read before planning
     * @return the model's annotations at its next revision
     * @throws ModelNotFoundException when the model has no live version
     * @throws ConcurrentUpdateException when the model is at another revision
     */
    public ModelAnnotated planAnnotateModel(long expectedRevision, Annotations changes, ChangeNote note, Instant now) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(note, "note");
        requireListed();
        if (revision != expectedRevision) {
            throw new ConcurrentUpdateException("model " + model + " is at revision " + revision + ", expected "
                    + expectedRevision);
        }
        return new ModelAnnotated(changes.description().orElse(description), changes.applyTo(tags), revision + 1, now,
                note);
    }

    /**
     * Deletes every live version of the model (each leaves a tombstone) and the model's own annotations;
     * its numbers are never reused, so a later registration under the same name continues after them.
     *
     * @param note who and why
     * @param now when, read before planning
     * @return the deletion
     * @throws ModelNotFoundException when the model is not listed
     * @throws ConflictException when any alias of the model is set
     */
    public ModelDeleted planDeleteModel(ChangeNote note, Instant now) {
        Objects.requireNonNull(note, "note");
        requireListed();
        List<String> set = new ArrayList<>(targets.keySet());
        if (!set.isEmpty()) {
            set.sort(null);
            throw new ConflictException("cannot delete model " + model + ": aliases " + set
                    + " are set; remove them first");
        }
        List<Tombstone> out = new ArrayList<>();
        for (ModelVersion v : live.values()) {
            out.add(new Tombstone(model, v.version(), v.digest(), now, note.actor(), note.reason()));
        }
        return new ModelDeleted(out, now, note);
    }

    /** @return whether the model is listed: it has numbered a version and has not been deleted as a whole since */
    public boolean listed() {
        return highest > 0 && !deleted;
    }

    private void requireListed() {
        if (!listed()) {
            throw new ModelNotFoundException("no model " + model);
        }
    }

    // ---- applying --------------------------------------------------------------------------------------

    /**
     * Makes a planned change; call it once per plan, after persisting it, with no other change between.
     *
     * @param change what {@code plan...} returned
     */
    public void apply(Change change) {
        Objects.requireNonNull(change, "change");
        if (change instanceof Registered r) {
            if (deleted || createdAt == null) {
                createdAt = r.version().createdAt();
                deleted = false;
            }
            updatedAt = r.version().createdAt();
            live.put(r.version().version(), r.version());
            newestFirst.add(r.version());
            highest = r.version().version();
            indexMetrics(r.version(), true);
            for (ModelRef.ByVersion parent : r.version().lineage().parents()) {
                children.computeIfAbsent(parent, p -> new TreeSet<>()).add(r.version().version());
            }
        } else if (change instanceof AliasChanged a) {
            updatedAt = a.move().at();
            String alias = a.move().alias();
            if (a.targetsAfter().isEmpty()) {
                targets.remove(alias);
            } else {
                targets.put(alias, new ArrayDeque<>(a.targetsAfter()));
            }
            Deque<AliasMove> moves = history.computeIfAbsent(alias, k -> new ArrayDeque<>());
            moves.addLast(a.move());
            while (moves.size() > MAX_ALIAS_HISTORY) {
                moves.removeFirst();
            }
        } else if (change instanceof Annotated a) {
            updatedAt = a.at();
            ModelVersion before = live.put(a.version().version(), a.version());
            newestFirst.remove(before);
            newestFirst.add(a.version());
        } else if (change instanceof Deleted d) {
            updatedAt = d.tombstone().deletedAt();
            bury(d.tombstone());
        } else if (change instanceof ModelAnnotated a) {
            description = a.description();
            tags = a.tags();
            revision = a.revision();
            updatedAt = a.at();
        } else {
            ModelDeleted d = (ModelDeleted) change;
            d.tombstones().forEach(this::bury);
            description = "";
            tags = Map.of();
            revision = 1;
            updatedAt = d.at();
            deleted = true;
        }
    }

    private void bury(Tombstone t) {
        ModelVersion gone = live.remove(t.version());
        newestFirst.remove(gone);
        indexMetrics(gone, false);
        for (ModelRef.ByVersion parent : gone.lineage().parents()) {
            TreeSet<Long> numbers = children.get(parent);
            numbers.remove(gone.version());
            if (numbers.isEmpty()) {
                children.remove(parent);
            }
        }
        tombstones.put(t.version(), t);
    }

    private void indexMetrics(ModelVersion v, boolean add) {
        for (Map.Entry<String, Double> m : v.metrics().entrySet()) {
            TreeMap<Double, TreeSet<Long>> values = byMetric.computeIfAbsent(m.getKey(), k -> new TreeMap<>());
            TreeSet<Long> versions = values.computeIfAbsent(m.getValue(),
                    k -> new TreeSet<>(java.util.Comparator.reverseOrder()));
            if (add) {
                versions.add(v.version());
            } else {
                versions.remove(v.version());
                if (versions.isEmpty()) {
                    values.remove(m.getValue());
                }
            }
        }
    }

    // ---- loading ---------------------------------------------------------------------------------------

    /**
     * Everything a ledger holds, as values: what a store persists to load a model without replaying
     * every change ({@link #snapshot()}, {@link #restore(State)}). Two ledgers that applied the same
     * changes have equal states.
     *
     * @param model the model's name
     * @param highest the highest version number ever given
     * @param deleted whether the model was deleted as a whole and not registered to since
     * @param description the model's description
     * @param tags the model's tags
     * @param revision the model's annotation revision
     * @param createdAt when its first version (since a whole-model delete) was registered, or null
     * @param updatedAt when it last changed, or null
     * @param live the live versions, by number
     * @param targets per alias, its rollback stack, current target first
     * @param history per alias, its last {@link #MAX_ALIAS_HISTORY} moves, oldest first
     * @param tombstones the deleted versions' tombstones, by number
     */
    public record State(String model, long highest, boolean deleted, String description, Map<String, String> tags,
            long revision, Instant createdAt, Instant updatedAt, List<ModelVersion> live,
            Map<String, List<Long>> targets, Map<String, List<AliasMove>> history, List<Tombstone> tombstones) {
        /**
         * Copies the parts; the maps keep their keys sorted, so equal states print and persist alike.
         *
         * @param model the model's name
         * @param highest the highest version number ever given
         * @param deleted whether the model was deleted as a whole and not registered to since
         * @param description the model's description
         * @param tags the model's tags
         * @param revision the model's annotation revision
         * @param createdAt when its first version (since a whole-model delete) was registered, or null
         * @param updatedAt when it last changed, or null
         * @param live the live versions, by number
         * @param targets per alias, its rollback stack, current target first
         * @param history per alias, its last {@link #MAX_ALIAS_HISTORY} moves, oldest first
         * @param tombstones the deleted versions' tombstones, by number
         */
        public State {
            Names.checkModel(model);
            Objects.requireNonNull(description, "description");
            tags = Collections.unmodifiableMap(new TreeMap<>(tags));
            live = List.copyOf(live);
            TreeMap<String, List<Long>> t = new TreeMap<>();
            targets.forEach((alias, stack) -> t.put(alias, List.copyOf(stack)));
            targets = Collections.unmodifiableMap(t);
            TreeMap<String, List<AliasMove>> h = new TreeMap<>();
            history.forEach((alias, moves) -> h.put(alias, List.copyOf(moves)));
            history = Collections.unmodifiableMap(h);
            tombstones = List.copyOf(tombstones);
        }
    }

    /** @return what this ledger holds, as values */
    public State snapshot() {
        Map<String, List<Long>> t = new HashMap<>();
        targets.forEach((alias, stack) -> t.put(alias, List.copyOf(stack)));
        Map<String, List<AliasMove>> h = new HashMap<>();
        history.forEach((alias, moves) -> h.put(alias, List.copyOf(moves)));
        return new State(model, highest, deleted, description, tags, revision, createdAt, updatedAt,
                List.copyOf(live.values()), t, h, List.copyOf(tombstones.values()));
    }

    /**
     * Rebuilds a ledger from a {@link #snapshot()}, checking that its parts fit together: live versions
     * and tombstones of this model, numbered at most {@code highest}, none both; alias targets live;
     * histories of at most {@link #MAX_ALIAS_HISTORY} moves, of the alias they are filed under.
     *
     * @param state what a ledger held
     * @return a ledger holding it, which then applies later changes as the original would
     * @throws IllegalArgumentException naming the part that does not fit
     */
    public static ModelLedger restore(State state) {
        ModelLedger l = new ModelLedger(state.model());
        l.highest = state.highest();
        l.deleted = state.deleted();
        l.description = state.description();
        l.tags = Map.copyOf(state.tags());
        if (state.revision() < 1) {
            throw new IllegalArgumentException("revision must be at least 1, was " + state.revision());
        }
        l.revision = state.revision();
        l.createdAt = state.createdAt();
        l.updatedAt = state.updatedAt();
        for (ModelVersion v : state.live()) {
            l.requireThisModel(v.model());
            if (v.version() > state.highest() || l.live.put(v.version(), v) != null) {
                throw new IllegalArgumentException("live version " + v.version() + " is above the highest number "
                        + state.highest() + " or listed twice");
            }
            l.newestFirst.add(v);
            l.indexMetrics(v, true);
            for (ModelRef.ByVersion parent : v.lineage().parents()) {
                l.children.computeIfAbsent(parent, p -> new TreeSet<>()).add(v.version());
            }
        }
        for (Tombstone t : state.tombstones()) {
            l.requireThisModel(t.model());
            if (t.version() > state.highest() || l.live.containsKey(t.version())
                    || l.tombstones.put(t.version(), t) != null) {
                throw new IllegalArgumentException("tombstone of version " + t.version()
                        + " is above the highest number, of a live version, or listed twice");
            }
        }
        state.targets().forEach((alias, stack) -> {
            if (stack.isEmpty() || stack.size() > MAX_ALIAS_HISTORY || !l.live.containsKey(stack.get(0))) {
                throw new IllegalArgumentException("alias " + alias + " must point at a live version and keep at most "
                        + MAX_ALIAS_HISTORY + " targets, had " + stack);
            }
            l.targets.put(alias, new ArrayDeque<>(stack));
        });
        state.history().forEach((alias, moves) -> {
            if (moves.size() > MAX_ALIAS_HISTORY) {
                throw new IllegalArgumentException("history of alias " + alias + " keeps " + moves.size()
                        + " moves, more than " + MAX_ALIAS_HISTORY);
            }
            for (AliasMove m : moves) {
                if (!m.alias().equals(alias) || !m.model().equals(state.model())) {
                    throw new IllegalArgumentException("history of alias " + alias + " holds a move of "
                            + m.model() + "@" + m.alias());
                }
            }
            l.history.put(alias, new ArrayDeque<>(moves));
        });
        return l;
    }

    /**
     * Restores the highest number ever given, for a store that loads a model whose newest versions were
     * deleted.
     *
     * @param number the highest version number ever registered
     */
    public void restoreHighest(long number) {
        if (number < highest) {
            throw new IllegalArgumentException("highest version number cannot go down from " + highest + " to " + number);
        }
        highest = number;
    }

    // ---- queries ---------------------------------------------------------------------------------------

    /**
     * @param ref a reference to this model
     * @return the live version it resolves to now
     */
    public Optional<ModelVersion> resolve(ModelRef ref) {
        requireThisModel(ref.model());
        if (ref instanceof ModelRef.ByVersion byVersion) {
            return Optional.ofNullable(live.get(byVersion.version()));
        }
        if (ref instanceof ModelRef.ByAlias byAlias) {
            OptionalLong target = current(byAlias.alias());
            return target.isPresent() ? Optional.ofNullable(live.get(target.getAsLong())) : Optional.empty();
        }
        Map.Entry<Long, ModelVersion> last = live.lastEntry();
        return last == null ? Optional.empty() : Optional.of(last.getValue());
    }

    /**
     * @param ref a reference to this model
     * @return the live version it resolves to now
     * @throws ModelNotFoundException when there is none
     */
    public ModelVersion resolveOrThrow(ModelRef ref) {
        return resolve(ref).orElseThrow(() -> ModelNotFoundException.of(ref));
    }

    /**
     * @param alias an alias
     * @return the version it points at, if it is set
     */
    public OptionalLong current(String alias) {
        Deque<Long> stack = targets.get(alias);
        return stack == null || stack.isEmpty() ? OptionalLong.empty() : OptionalLong.of(stack.peekFirst());
    }

    /**
     * @return every version an alias points at or would return to by rollback (each alias's whole
     *     rollback stack), ascending
     */
    public SortedSet<Long> aliasTargets() {
        TreeSet<Long> out = new TreeSet<>();
        targets.values().forEach(out::addAll);
        return out;
    }

    /** @return every live version, oldest first */
    public Collection<ModelVersion> liveVersions() {
        return Collections.unmodifiableCollection(live.values());
    }

    /**
     * @param version a version number
     * @return the aliases that point at it, sorted
     */
    public List<String> aliasesOf(long version) {
        List<String> out = new ArrayList<>();
        targets.forEach((alias, stack) -> {
            if (!stack.isEmpty() && stack.peekFirst() == version) {
                out.add(alias);
            }
        });
        out.sort(null);
        return out;
    }

    /**
     * Newest first, in keyset pages: O(log n) plus the page, whatever the page's position.
     *
     * @param page the page wanted; its token must come from this model
     * @return the page and, when more versions follow, the request for the next one
     */
    public Page<ModelVersion> versions(PageRequest page) {
        long below = page.startBelow(model);
        List<ModelVersion> items = new ArrayList<>(Math.min(page.size(), live.size()));
        Iterator<ModelVersion> it = live.headMap(below, false).descendingMap().values().iterator();
        while (items.size() < page.size() && it.hasNext()) {
            items.add(it.next());
        }
        boolean more = !items.isEmpty() && live.lowerKey(items.get(items.size() - 1).version()) != null;
        return new Page<>(items, more
                ? Optional.of(PageRequest.after(PageRequest.tokenAfter(model, items.get(items.size() - 1).version()),
                        page.size()))
                : Optional.empty());
    }

    /**
     * The live versions that match, in the query's order, strictly after {@code after} when given,
     * stopping at {@code max}: O(log n) plus the versions looked at, for newest first and for a metric
     * order alike (metric values are indexed).
     *
     * @param query the filter and the order
     * @param after the sort key to start after (the previous page's last result, or a stand-in with its
     *     key); empty for the start
     * @param max the most to return
     * @return the matches, in order
     */
    public List<ModelVersion> search(VersionQuery query, Optional<ModelVersion> after, int max) {
        List<ModelVersion> out = new ArrayList<>();
        VersionQuery.Order order = query.order();
        if (order.metric().isEmpty()) {
            for (ModelVersion v : after.isPresent() ? newestFirst.tailSet(after.get(), false) : newestFirst) {
                if (out.size() == max) {
                    break;
                }
                if (query.matches(v)) {
                    out.add(v);
                }
            }
            return out;
        }
        String metric = order.metric().get();
        TreeMap<Double, TreeSet<Long>> values = byMetric.getOrDefault(metric, new TreeMap<>());
        java.util.NavigableMap<Double, TreeSet<Long>> ordered = order.highestFirst() ? values.descendingMap() : values;
        if (after.isPresent()) {
            ModelVersion position = after.get();
            double value = position.metrics().get(metric);
            int byModel = model.compareTo(position.model());
            if (byModel < 0) {
                // this model sorts before the position's among equal values: its versions at that value are done
                ordered = ordered.tailMap(value, false);
            } else if (byModel == 0) {
                TreeSet<Long> tied = values.get(value);
                if (tied != null) {
                    for (long n : tied.tailSet(position.version(), false)) {
                        if (out.size() == max) {
                            return out;
                        }
                        if (query.matches(live.get(n))) {
                            out.add(live.get(n));
                        }
                    }
                }
                ordered = ordered.tailMap(value, false);
            } else {
                ordered = ordered.tailMap(value, true);
            }
        }
        for (TreeSet<Long> versions : ordered.values()) {
            for (long n : versions) {
                if (out.size() == max) {
                    return out;
                }
                ModelVersion v = live.get(n);
                if (query.matches(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * @param parent a version of any model
     * @return this model's live versions registered with it among their lineage parents
     */
    public List<ModelVersion> children(ModelRef.ByVersion parent) {
        TreeSet<Long> numbers = children.get(parent);
        if (numbers == null) {
            return List.of();
        }
        List<ModelVersion> out = new ArrayList<>(numbers.size());
        for (long n : numbers) {
            out.add(live.get(n));
        }
        return out;
    }

    /**
     * @param alias an alias
     * @return its moves, oldest first (at most {@link #MAX_ALIAS_HISTORY}, the newest)
     */
    public List<AliasMove> history(String alias) {
        Deque<AliasMove> moves = history.get(alias);
        return moves == null ? List.of() : List.copyOf(moves);
    }

    /** @return the tombstones, by version */
    public List<Tombstone> tombstones() {
        return List.copyOf(tombstones.values());
    }

    /** @return the model's summary; only for a {@link #listed()} model */
    public ModelSummary summary() {
        Map<String, Long> aliases = new TreeMap<>();
        targets.forEach((alias, stack) -> {
            if (!stack.isEmpty()) {
                aliases.put(alias, stack.peekFirst());
            }
        });
        OptionalLong latest = live.isEmpty() ? OptionalLong.empty() : OptionalLong.of(live.lastKey());
        return new ModelSummary(model, latest, live.size(), highest, aliases, description, tags, createdAt, updatedAt,
                revision);
    }

    private void checkExpectation(String alias, AliasExpect expect, OptionalLong current) {
        if (!expect.matches(current)) {
            throw new ConcurrentUpdateException("alias " + model + "@" + alias + " points at "
                    + (current.isPresent() ? "v" + current.getAsLong() : "nothing") + ", expected " + expect);
        }
    }

    private void requireThisModel(String other) {
        if (!model.equals(other)) {
            throw new IllegalArgumentException("ledger of model " + model + " asked about model " + other);
        }
    }

    /** The rollback stack keeps at most {@link #MAX_ALIAS_HISTORY} targets, the most recent. */
    private static void trim(List<Long> stack) {
        while (stack.size() > MAX_ALIAS_HISTORY) {
            stack.remove(stack.size() - 1);
        }
    }
}
