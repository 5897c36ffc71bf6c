package dev.mlops.core.registry;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.ModelNotFoundException;
import java.io.InputStream;
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
 * try (InputStream in = store.open(ModelRef.alias("fraud-scorer", "champion"))) {
 *     model = Scorer.load(in);     // the digest is checked when the stream reaches its end
 * }
 * }</pre>
 *
 * <p>Every implementation is thread-safe and passes {@code ModelStoreContract} from the test-jar of
 * mlops-core. Names of models and aliases, and tag keys, follow {@link dev.mlops.core.Names}.
 */
public interface ModelStore extends AutoCloseable {

    /**
     * Stores a new version. The artifact is streamed once, hashed, and published atomically with its
     * metadata under the next number; on any failure nothing is stored and no number is used up.
     *
     * @param request the artifact and what is known about it
     * @return the stored version, with its number, digest, size and creation time
     * @throws IntegrityException when the request names an expected digest the bytes do not have
     * @throws dev.mlops.core.StoreException when the artifact cannot be read or stored
     */
    ModelVersion register(NewVersion request);

    /**
     * @param ref a version by number, by alias, or the latest
     * @return the version, empty when it does not exist or was deleted
     */
    Optional<ModelVersion> find(ModelRef ref);

    /**
     * Opens a version's artifact. The stream checks size and SHA-256 digest as it is read; when it
     * reaches its end and they differ from what was recorded it throws {@link IntegrityException}, so
     * read it to the end before trusting what it gave.
     *
     * @param ref the version
     * @return a stream over the artifact's bytes; the caller closes it
     * @throws ModelNotFoundException when there is no such live version
     */
    InputStream open(ModelRef ref);

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
     * @param query conditions on model, tags, metrics and creation time
     * @return matching live versions, newest first, at most {@code query.limit()}
     */
    List<ModelVersion> search(VersionQuery query);

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
     * time: after {@code 1 -> 2 -> 3}, one rollback gives 2, a second gives 1.
     *
     * @param model the model
     * @param alias the alias
     * @param note who and why
     * @return the move, appended to the history
     * @throws ModelNotFoundException when the alias does not exist
     * @throws IllegalStateException when there is no earlier target, or it was deleted
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
     * @return the version after the change, with its revision one higher
     * @throws ConcurrentUpdateException when the revision is not {@code expectedRevision}
     * @throws ModelNotFoundException when there is no such live version
     */
    ModelVersion annotate(ModelRef ref, long expectedRevision, Annotations changes);

    /**
     * Deletes a version: its artifact is removed, a tombstone remains, and its number is never reused.
     *
     * @param ref the version
     * @param note who and why
     * @return the tombstone
     * @throws IllegalStateException when an alias points at the version
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

    /** Releases what the store holds (files, locks). Operations after closing fail. */
    @Override
    void close();

    /**
     * @param ref the version
     * @return it
     * @throws ModelNotFoundException when there is no such live version
     */
    default ModelVersion get(ModelRef ref) {
        return find(ref).orElseThrow(() -> new ModelNotFoundException("no live model version " + ref));
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
