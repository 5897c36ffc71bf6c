package dev.mlops.core.registry;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Subscription;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A registry of model versions: immutable, content-addressed artifacts with metadata, lineage and
 * signature; numbered densely per model; moved between stages by aliases with compare-and-set;
 * deleted with tombstones.
 *
 * <pre>{@code
 * ModelStore store = new InMemoryModelStore();
 * ModelVersion v = store.register(NewVersion.builder("fraud-scorer").artifact(bytes).metric("auc", 0.91).build());
 * store.setAlias("fraud-scorer", "champion", v.version(), AliasExpect.absent());
 * ModelVersion champion = store.get(ModelRef.alias("fraud-scorer", "champion"));   // resolve once
 * try (InputStream in = store.open(champion.ref())) {
 *     model = Scorer.load(in);     // size and digest are checked as the last byte is read
 * }
 * }</pre>
 *
 * <p>Every implementation is thread-safe and passes {@code ModelStoreContract} from the published
 * module mlops-tck. Names of models and aliases, and tag keys, follow {@link dev.mlops.core.Names}.
 */
public interface ModelStore extends AutoCloseable {
    /**
     * The order of {@link #search}: newest first by creation time; at equal times by model name
     * ascending, then by version number descending.
     */
    Comparator<ModelVersion> NEWEST_FIRST = Comparator.comparing(ModelVersion::createdAt).reversed()
            .thenComparing(ModelVersion::model)
            .thenComparing(Comparator.comparingLong(ModelVersion::version).reversed());

    /**
     * Stores a new version. The artifact is streamed once, hashed, and published atomically with its
     * metadata under the next number; on any failure nothing is stored and no number is used up.
     *
     * @param request the artifact and what is known about it
     * @return the stored version, with its number, digest, size and creation time
     * @throws IntegrityException when the request names an expected digest the bytes do not have
     * @throws ModelNotFoundException when a lineage parent is not a live version
     * @throws dev.mlops.core.StoreException when the artifact cannot be read or stored
     */
    ModelVersion register(NewVersion request);

    /**
     * @param ref a version by number, by alias, or the latest
     * @return the version, empty when it does not exist or was deleted
     */
    Optional<ModelVersion> find(ModelRef ref);

    /**
     * Opens a version's artifact. The stream checks size and SHA-256 digest as it is read: it throws
     * {@link IntegrityException} as soon as it holds more bytes than recorded, when the recorded number
     * of bytes has been read and their digest differs, or at end of stream when bytes are missing. So
     * read it to the recorded size before trusting what it gave. An alias or {@code latest} is
     * resolved when the call is made; to know exactly which version you read, resolve first with
     * {@link #get(ModelRef)} and open {@code version.ref()}.
     *
     * @param ref the version
     * @return a stream over the artifact's bytes; the caller closes it
     * @throws ModelNotFoundException when there is no such live version
     */
    InputStream open(ModelRef ref);

    /**
     * Resolves a reference and opens the version it resolves to, in one step, so the caller knows which
     * version it reads even when an alias moves meanwhile. The default resolves with {@link #find} and
     * opens that exact version; a store may do both atomically.
     *
     * @param ref the version, an alias or {@code latest}
     * @return the version and a verifying stream over its bytes; close it
     * @throws ModelNotFoundException when there is no such live version
     */
    default OpenedVersion openVersion(ModelRef ref) {
        ModelVersion v = get(ref);
        return new OpenedVersion(v, open(v.ref()));
    }

    /**
     * Reverse lineage: the live versions registered with {@code parent} among their
     * {@link Lineage#parents()}, in any model ("what was trained from this?").
     *
     * @param parent a version, live or deleted
     * @return its children, in {@link #NEWEST_FIRST} order
     */
    List<ModelVersion> children(ModelRef.ByVersion parent);

    /**
     * @param model a model name
     * @param page which page
     * @return live versions, newest (highest number) first; empty for an unknown model
     */
    Page<ModelVersion> versions(String model, PageRequest page);

    /**
     * @return every model that has ever had a version, by name
     */
    List<ModelSummary> models();

    /**
     * @param name a model name
     * @return the model at a glance (versions, aliases, its own description and tags, created and updated
     *     times); empty when it has no version or was deleted as a whole
     */
    Optional<ModelSummary> model(String name);

    /**
     * Changes a model's own description and tags if nobody changed them since the caller read them.
     *
     * @param name the model
     * @param expectedRevision the model revision the caller read ({@link ModelSummary#revision()})
     * @param changes what to change
     * @param note who and why
     * @return the model after the change, its revision one higher
     * @throws ConcurrentUpdateException when the revision is not {@code expectedRevision}
     * @throws ModelNotFoundException when there is no such model
     */
    ModelSummary annotateModel(String name, long expectedRevision, Annotations changes, ChangeNote note);

    /**
     * Deletes a whole model: each live version leaves a tombstone, the model's annotations go, and its
     * version numbers are never reused (a later registration under the name continues after them).
     *
     * @param name the model
     * @param note who and why
     * @return the tombstones of the versions it deleted, in number order
     * @throws ConflictException when any alias of the model is set: remove them first
     * @throws ModelNotFoundException when there is no such model
     */
    List<Tombstone> deleteModel(String name, ChangeNote note);

    /**
     * One page of the live versions matching a query, in the query's {@link VersionQuery.Order}: newest
     * first ({@link #NEWEST_FIRST}) or by a metric ("best auc first"), keyset-paged, so a version
     * registered or deleted between two calls does not shift the pages. The query's {@code limit} does
     * not apply; the page size does.
     *
     * @param query the filter and the order
     * @param page which page; a token is valid only for a search in the same order
     * @return the page and, when more matches follow, the request for the next one
     * @throws IllegalArgumentException when the token was not issued by a search in this order
     */
    Page<ModelVersion> search(VersionQuery query, PageRequest page);

    /**
     * The first {@code query.limit()} matches, in the query's order: {@link #search(VersionQuery, PageRequest)}
     * page after page.
     *
     * @param query the filter, the order and the limit
     * @return the matches, at most {@code query.limit()} of them
     */
    default List<ModelVersion> search(VersionQuery query) {
        List<ModelVersion> out = new java.util.ArrayList<>();
        PageRequest request = PageRequest.first(Math.min(query.limit(), PageRequest.MAX_SIZE));
        while (true) {
            Page<ModelVersion> page = search(query, request);
            out.addAll(page.items());
            if (out.size() >= query.limit() || page.next().isEmpty()) {
                return List.copyOf(out.size() > query.limit() ? out.subList(0, query.limit()) : out);
            }
            request = PageRequest.after(page.next().get().after().orElseThrow(),
                    Math.min(query.limit() - out.size(), PageRequest.MAX_SIZE));
        }
    }

    /**
     * Points an alias at a version if the alias is as the caller expects.
     *
     * @param model the model
     * @param alias the alias, created if absent
     * @param version a live version of the model
     * @param expect what the alias must point at now
     * @param note who and why
     * @return the move, also appended to the alias's history
     * @throws ConcurrentUpdateException when the expectation does not hold
     * @throws ModelNotFoundException when the version does not exist or was deleted
     */
    AliasMove setAlias(String model, String alias, long version, AliasExpect expect, ChangeNote note);

    /**
     * Removes an alias if it is as the caller expects.
     *
     * @param model the model
     * @param alias the alias
     * @param expect what the alias must point at now
     * @param note who and why
     * @return the move, appended to the history
     * @throws ConcurrentUpdateException when the expectation does not hold
     * @throws ModelNotFoundException when the alias does not exist
     */
    AliasMove removeAlias(String model, String alias, AliasExpect expect, ChangeNote note);

    /**
     * Moves an alias back to the target it had before its current one. Rollbacks undo moves one at a
     * time: after {@code 1 -> 2 -> 3}, one rollback gives 2, a second gives 1. Earlier targets deleted
     * since are skipped (after {@code 1 -> 2 -> 3} and deleting 2, a rollback gives 1); the move
     * records where the alias went. Setting an alias to the target it already has is recorded in the
     * history but adds no rollback step; removing an alias forgets its rollback steps.
     *
     * @param model the model
     * @param alias the alias
     * @param note who and why
     * @return the move, appended to the history
     * @throws ModelNotFoundException when the alias does not exist
     * @throws ConflictException when no earlier target is still live
     */
    AliasMove rollback(String model, String alias, ChangeNote note);

    /**
     * @param model the model
     * @param alias the alias
     * @return every change of the alias, oldest first; empty when it never existed
     */
    List<AliasMove> aliasHistory(String model, String alias);

    /**
     * Changes a version's description and tags if nobody changed them since the caller read them.
     *
     * @param ref the version
     * @param expectedRevision the revision the caller read
     * @param changes what to change
     * @param note who changes it, and why (carried by the {@link ModelStoreEvent.Annotated} event)
     * @return the version after the change, with its revision one higher
     * @throws ConcurrentUpdateException when the revision is not {@code expectedRevision}
     * @throws ModelNotFoundException when there is no such live version
     */
    ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes, ChangeNote note);

    /**
     * {@link #annotate(ModelRef, long, Annotations, ChangeNote)} with no note.
     *
     * @param ref the version
     * @param expectedRevision the revision the caller read
     * @param changes what to change
     * @return the version after the change, with its revision one higher
     */
    default ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes) {
        return annotate(ref, expectedRevision, changes, ChangeNote.NONE);
    }

    /**
     * The store's events from a position on, in sequence order: what a listener that starts late or
     * restarts reads to catch up, before or after subscribing (events it already saw by sequence it can
     * skip). The in-memory store keeps the last {@code 100,000}; a durable store keeps them all.
     *
     * @param afterSequence the last sequence already seen; 0 for the beginning
     * @param max the most events to return, 1 to 10,000
     * @return the events after {@code afterSequence}, at most {@code max}, without gaps
     * @throws ConflictException when events right after {@code afterSequence} are no longer kept
     */
    List<ModelStoreEvent> events(long afterSequence, int max);

    /**
     * Deletes a version: its artifact is removed, a tombstone remains, and its number is never reused.
     *
     * @param ref the version
     * @param note who and why
     * @return the tombstone
     * @throws ConflictException when an alias points at the version
     * @throws ModelNotFoundException when there is no such live version
     */
    Tombstone delete(ModelRef ref, ChangeNote note);

    /**
     * @param model the model
     * @return its deleted versions, in order of number
     */
    List<Tombstone> tombstones(String model);

    /**
     * @param listener told about every change from now on
     * @return closing it stops delivery
     */
    Subscription subscribe(ModelStoreListener listener);

    /**
     * Releases what the store holds (files, locks). Operations after closing fail with
     * {@link IllegalStateException}; closing twice is harmless.
     */
    @Override
    void close();

    /**
     * @param ref the version
     * @return it
     * @throws ModelNotFoundException when there is no such live version
     */
    default ModelVersion get(ModelRef ref) {
        return find(ref).orElseThrow(() -> ModelNotFoundException.of(ref));
    }

    /**
     * {@link #setAlias(String, String, long, AliasExpect, ChangeNote)} with no note.
     *
     * @param model the model
     * @param alias the alias
     * @param version the new target
     * @param expect what the alias must point at now
     * @return the move
     */
    default AliasMove setAlias(String model, String alias, long version, AliasExpect expect) {
        return setAlias(model, alias, version, expect, ChangeNote.NONE);
    }

    /**
     * {@link #rollback(String, String, ChangeNote)} with no note.
     *
     * @param model the model
     * @param alias the alias
     * @return the move
     */
    default AliasMove rollback(String model, String alias) {
        return rollback(model, alias, ChangeNote.NONE);
    }

    /**
     * {@link #delete(ModelRef, ChangeNote)} by an unknown actor.
     *
     * @param ref the version
     * @param reason why
     * @return the tombstone
     */
    default Tombstone delete(ModelRef ref, String reason) {
        return delete(ref, ChangeNote.NONE.because(reason));
    }
}
