package dev.mlops.core.internal;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.MerkleTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * What an audit log keeps in memory so that it answers without reading its records: the Merkle tree's
 * levels ({@link TreeLevels}), each record's time, and each record's actor, action, target and outcome as
 * term numbers, with one posting list (ascending record indexes) per term. Every audit log holds one, so
 * that all of them answer {@link AuditQuery}s and verify by one set of rules.
 *
 * <p>A query reads the shortest posting list among its criteria from its first candidate, and matches a
 * candidate's other criteria against the term numbers, so it touches no record that it does not return;
 * a time range is a binary search, since record times never decrease. Besides the tree's 64 bytes per
 * record, the index takes about 45 (times, term numbers, posting entries) plus the distinct terms. Not
 * thread-safe: the owner locks.
 */
public final class AuditIndex {
    /** Most records an index holds: its arrays and posting lists are indexed by {@code int}. */
    public static final long MAX_RECORDS = Integer.MAX_VALUE - 8;

    private static final int NONE = -1;

    private final TreeLevels tree = new TreeLevels();
    private final Terms actors = new Terms();
    private final Terms actions = new Terms();
    private final Terms targets = new Terms();
    private final Postings[] outcomes = new Postings[AuditEvent.Outcome.values().length];
    private int[] actorOf = new int[16];
    private int[] actionOf = new int[16];
    private int[] targetOf = new int[16];
    private byte[] outcomeOf = new byte[16];
    private long[] seconds = new long[16];
    private int[] nanos = new int[16];
    private int size;

    /** An empty index. */
    public AuditIndex() {
        for (int o = 0; o < outcomes.length; o++) {
            outcomes[o] = new Postings();
        }
    }

    /** @return how many records the index holds */
    public long size() {
        return size;
    }

    /**
     * @throws IllegalStateException when the index holds {@link #MAX_RECORDS} records already; call before
     *         storing a record that {@link #add} will be given
     */
    public void checkRoom() {
        if (size >= MAX_RECORDS) {
            throw new IllegalStateException("an audit log holds at most " + MAX_RECORDS + " records");
        }
    }

    /**
     * @param r the next record: its index is {@link #size()}, its time not before the last record's
     * @param leafHash its leaf hash, {@code TreeLevels.leafHash(r.canonicalBytes())}, 32 bytes
     */
    public void add(AuditRecord r, byte[] leafHash) {
        if (r.index() != size) {
            throw new IllegalArgumentException("expected record " + size + ", was record " + r.index());
        }
        checkRoom();
        if (size == seconds.length) {
            int n = (int) Math.min(MAX_RECORDS, 2L * size);
            actorOf = Arrays.copyOf(actorOf, n);
            actionOf = Arrays.copyOf(actionOf, n);
            targetOf = Arrays.copyOf(targetOf, n);
            outcomeOf = Arrays.copyOf(outcomeOf, n);
            seconds = Arrays.copyOf(seconds, n);
            nanos = Arrays.copyOf(nanos, n);
        }
        AuditEvent e = r.event();
        int i = size;
        tree.append(leafHash);
        actorOf[i] = actors.add(e.actor(), i);
        actionOf[i] = actions.add(e.action(), i);
        targetOf[i] = targets.add(e.target(), i);
        outcomeOf[i] = (byte) e.outcome().ordinal();
        outcomes[e.outcome().ordinal()].add(i);
        seconds[i] = r.at().getEpochSecond();
        nanos[i] = r.at().getNano();
        size++;
    }

    /**
     * @param i a record below {@link #size()}
     * @return its time
     */
    public Instant at(long i) {
        checkIndex(i);
        return Instant.ofEpochSecond(seconds[(int) i], nanos[(int) i]);
    }

    /**
     * @param i a record below {@link #size()}
     * @return its leaf hash, as stored
     */
    public Sha256 leafHash(long i) {
        checkIndex(i);
        return tree.node(0, i);
    }

    /**
     * @param i a record below {@link #size()}
     * @param leafHash a leaf hash, 32 bytes
     * @return whether it is the record's stored leaf hash, compared in constant time
     */
    public boolean leafHashEquals(long i, byte[] leafHash) {
        checkIndex(i);
        return tree.nodeEquals(0, i, leafHash);
    }

    /**
     * @param n a size, at most {@link #size()}
     * @return the Merkle root of the first {@code n} records
     */
    public Sha256 root(long n) {
        return tree.root(n);
    }

    /**
     * @param index a record below {@code n}
     * @param n a size, at most {@link #size()}
     * @return RFC 6962's PATH(index, D[n]), bottom up
     */
    public List<Sha256> inclusionProof(long index, long n) {
        return List.copyOf(tree.inclusionProof(index, n));
    }

    /**
     * @param oldSize the earlier size, at least 1
     * @param newSize the later size, at most {@link #size()}
     * @return RFC 6962's PROOF(oldSize, D[newSize])
     */
    public List<Sha256> consistencyProof(long oldSize, long newSize) {
        return List.copyOf(tree.consistencyProof(oldSize, newSize));
    }

    /**
     * Overwrites a stored tree node: a seam for tests of verification.
     *
     * @param level the node's level, 0 for leaves
     * @param position the node's position in its level
     * @param hash the hash to store there
     */
    public void setNodeForTest(int level, long position, Sha256 hash) {
        tree.setForTest(level, position, hash);
    }

    /**
     * @param q the criteria
     * @param n how many records, from the first, the query may see (at most {@link #size()}): a log passes
     *        the size its readers see, which may trail records it is still making durable
     * @return the indexes of the records below {@code n} that match {@code q}, ascending, at most
     *         {@code q.limit()} of them
     */
    public long[] query(AuditQuery q, long n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("n must be in [0, " + size + "], was " + n);
        }
        long lo = Math.max(q.fromIndex(), q.from().map(t -> firstAtOrAfter(t, n)).orElse(0L));
        long hi = q.until().map(t -> firstAtOrAfter(t, n)).orElse(n);
        int actor = q.actor().map(actors::id).orElse(NONE);
        int action = q.action().map(actions::id).orElse(NONE);
        int target = q.target().map(targets::id).orElse(NONE);
        int outcome = q.outcome().map(Enum::ordinal).orElse(NONE);
        if (lo >= hi || (q.actor().isPresent() && actor == NONE) || (q.action().isPresent() && action == NONE)
                || (q.target().isPresent() && target == NONE)) {
            return new long[0];
        }
        Postings shortest = null;
        for (Postings p : new Postings[] {actors.postings(actor), actions.postings(action), targets.postings(target),
                outcome == NONE ? null : outcomes[outcome]}) {
            if (p != null && (shortest == null || p.size < shortest.size)) {
                shortest = p;
            }
        }
        long[] out = new long[(int) Math.min(q.limit(), hi - lo)];
        int found = 0;
        if (shortest == null) {
            for (int k = 0; k < out.length; k++) {
                out[k] = lo + k;
            }
            return out;
        }
        for (int k = shortest.firstAtOrAfter(lo); k < shortest.size && found < out.length; k++) {
            int i = shortest.indexes[k];
            if (i >= hi) {
                break;
            }
            if ((actor == NONE || actorOf[i] == actor) && (action == NONE || actionOf[i] == action)
                    && (target == NONE || targetOf[i] == target) && (outcome == NONE || outcomeOf[i] == outcome)) {
                out[found++] = i;
            }
        }
        return Arrays.copyOf(out, found);
    }

    /** The first index below {@code n} whose time is at or after {@code t}, or {@code n}. */
    private long firstAtOrAfter(Instant t, long n) {
        long s = t.getEpochSecond();
        int ns = t.getNano();
        return lowerBound(n, i -> seconds[(int) i] > s || (seconds[(int) i] == s && nanos[(int) i] >= ns));
    }

    /** The first {@code i} in {@code [0, n)} where {@code reached} holds, or {@code n}; it must hold from some i on. */
    private static long lowerBound(long n, LongPredicate reached) {
        long lo = 0;
        long hi = n;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (!reached.test(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void checkIndex(long i) {
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("index must be in [0, " + size + "), was " + i);
        }
    }

    /** @return a verifier that checks records read back, in index order, against this index's tree */
    public Verifier verifier() {
        return new Verifier();
    }

    /**
     * One pass over records read back in index order, O(log n) memory: each record against the stored
     * leaf hash, dense indexes and times that never decrease, and each stored tree node against the hash
     * of its stored children as the block under it completes. A node that disagrees with its children is
     * reported only when its children agree with theirs: a changed node also makes its parent disagree,
     * and the parent is not what changed. The smallest index of a bad record, node or reported problem
     * wins. Check no more records than the index holds.
     */
    public final class Verifier {
        private final boolean[] leftFailed = new boolean[64];
        private long next;
        private long bad = Long.MAX_VALUE;
        private String problem = "";
        private Instant previous = Instant.MIN;

        private Verifier() {
        }

        /**
         * Checks the next record as read back.
         *
         * @param r the record
         * @param leafHash its leaf hash, computed from the bytes read, 32 bytes
         */
        public void next(AuditRecord r, byte[] leafHash) {
            long i = next;
            String p = null;
            if (r.index() != i) {
                p = "record at position " + i + " says index " + r.index();
            } else if (r.at().isBefore(previous)) {
                p = "time " + r.at() + " is before the previous record's " + previous;
            } else if (!tree.nodeEquals(0, i, leafHash)) {
                p = "record bytes do not match the stored leaf hash";
            }
            previous = r.at();
            advance(p);
        }

        /**
         * Counts the next record as bad: it could not be read back.
         *
         * @param why what was wrong, naming where it was read
         */
        public void unreadable(String why) {
            advance(why);
        }

        /**
         * Reports a problem that is not one record's, such as a damaged file header.
         *
         * @param index the first record it affects
         * @param why what is wrong
         */
        public void problem(long index, String why) {
            if (index < bad) {
                bad = index;
                problem = why;
            }
        }

        private void advance(String p) {
            long i = next++;
            if (i >= size) {
                throw new IllegalStateException("the index holds " + size + " records; record " + i + " was checked");
            }
            if (p != null) {
                problem(i, "record " + i + ": " + p);
            }
            boolean failed = p != null;
            long pos = i;
            int h = 0;
            while ((pos & 1) == 1) {
                boolean childFailed = leftFailed[h] || failed;
                long parent = pos >>> 1;
                byte[] expected = TreeLevels.nodeHash(tree.nodeBytes(h, pos - 1), tree.nodeBytes(h, pos));
                failed = !tree.nodeEquals(h + 1, parent, expected);
                long first = parent << (h + 1);
                if (failed && !childFailed) {
                    problem(first, "tree node at level " + (h + 1) + " over records [" + first + ", "
                            + (first + (1L << (h + 1))) + ") does not match its children");
                }
                h++;
                pos = parent;
            }
            leftFailed[h] = failed;
        }

        /** @return ok with the number of records checked, or the first bad index and why */
        public AuditVerification result() {
            return bad == Long.MAX_VALUE ? AuditVerification.ok(next) : AuditVerification.failed(bad, problem);
        }
    }

    /** Term numbers in order of first use, each with its posting list. */
    private static final class Terms {
        final Map<String, Integer> ids = new HashMap<>();
        final List<Postings> lists = new ArrayList<>();

        int add(String term, int index) {
            Integer id = ids.get(term);
            if (id == null) {
                id = lists.size();
                ids.put(term, id);
                lists.add(new Postings());
            }
            lists.get(id).add(index);
            return id;
        }

        int id(String term) {
            return ids.getOrDefault(term, NONE);
        }

        Postings postings(int id) {
            return id == NONE ? null : lists.get(id);
        }
    }

    /** Ascending record indexes, growing. */
    private static final class Postings {
        int[] indexes = new int[4];
        int size;

        void add(int i) {
            if (size == indexes.length) {
                indexes = Arrays.copyOf(indexes, (int) Math.min(MAX_RECORDS, 2L * size));
            }
            indexes[size++] = i;
        }

        int firstAtOrAfter(long i) {
            return (int) lowerBound(size, k -> indexes[(int) k] >= i);
        }
    }
}
