package dev.mlops.core.internal;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.MerkleTree;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes of an RFC 6962 Merkle tree kept as leaves arrive: level 0 holds the leaf hashes, level
 * {@code h} the hash of every complete, aligned block of {@code 2^h} leaves (node {@code j} covers leaves
 * {@code [j·2^h, (j+1)·2^h)}), appended as soon as its block fills. RFC 6962's decomposition of any tree
 * of {@code size <= size()} leaves splits it into such blocks plus at most one partial block on the
 * right edge, so {@link #root}, {@link #inclusionProof} and {@link #consistencyProof} for any earlier size
 * read O(log n) stored nodes and hash O(log n) new ones, never the leaves, with the results
 * {@link MerkleTree} computes from all leaf hashes. Hashes are held as bytes in chunks of 4096
 * (32 MiB per million leaves for level 0, as much again for the levels above). Not thread-safe: the
 * owner locks.
 */
public final class TreeLevels {
    private static final int CHUNK_BITS = 12;
    private static final int CHUNK = 1 << CHUNK_BITS;
    /** One SHA-256 per thread: readers build proofs concurrently, and a digest is reset by {@code digest()}. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Sha256::newDigest);

    /** One level's hashes, 32 bytes each, in chunks so that growing never copies. */
    private static final class Level {
        final List<byte[]> chunks = new ArrayList<>();
        long count;

        void add(byte[] hash) {
            int offset = (int) (count & (CHUNK - 1));
            if (offset == 0) {
                chunks.add(new byte[CHUNK * 32]);
            }
            System.arraycopy(hash, 0, chunks.get(chunks.size() - 1), offset * 32, 32);
            count++;
        }

        byte[] get(long i) {
            byte[] out = new byte[32];
            System.arraycopy(chunks.get((int) (i >>> CHUNK_BITS)), (int) (i & (CHUNK - 1)) * 32, out, 0, 32);
            return out;
        }

        /** Compares node {@code i} with a hash in time independent of where they differ. */
        boolean equalsAt(long i, byte[] hash) {
            byte[] chunk = chunks.get((int) (i >>> CHUNK_BITS));
            int from = (int) (i & (CHUNK - 1)) * 32;
            int diff = hash.length ^ 32;
            for (int k = 0; k < 32 && k < hash.length; k++) {
                diff |= chunk[from + k] ^ hash[k];
            }
            return diff == 0;
        }

        void set(long i, byte[] hash) {
            System.arraycopy(hash, 0, chunks.get((int) (i >>> CHUNK_BITS)), (int) (i & (CHUNK - 1)) * 32, 32);
        }
    }

    private final List<Level> levels = new ArrayList<>();

    /** An empty tree. */
    public TreeLevels() {
        levels.add(new Level());
    }

    /** @return how many leaves the tree holds */
    public long size() {
        return levels.get(0).count;
    }

    /** @param leafHash the next leaf's hash */
    public void append(Sha256 leafHash) {
        append(leafHash.bytes());
    }

    /** @param leafHash the next leaf's hash, 32 bytes */
    public void append(byte[] leafHash) {
        if (leafHash.length != 32) {
            throw new IllegalArgumentException("a leaf hash has 32 bytes, not " + leafHash.length);
        }
        levels.get(0).add(leafHash);
        for (int h = 0; (levels.get(h).count & 1) == 0; h++) {
            Level level = levels.get(h);
            byte[] node = hash(level.get(level.count - 2), level.get(level.count - 1));
            if (levels.size() == h + 1) {
                levels.add(new Level());
            }
            levels.get(h + 1).add(node);
        }
    }

    /** @return how many levels hold nodes, leaves included */
    public int height() {
        return levels.size();
    }

    /** @return how many nodes level {@code h} holds */
    public long count(int h) {
        return levels.get(h).count;
    }

    /** @return node {@code j} of level {@code h}: leaves {@code [j·2^h, (j+1)·2^h)} */
    public Sha256 node(int h, long j) {
        return Sha256.ofDigest(levels.get(h).get(j));
    }

    /**
     * @param h a level
     * @param j a node of it
     * @param hash 32 bytes
     * @return whether the stored node is that hash, compared in time independent of where they differ
     */
    public boolean nodeEquals(int h, long j, byte[] hash) {
        return levels.get(h).equalsAt(j, hash);
    }

    /**
     * @param h a level
     * @param j a node of it
     * @return a copy of the stored node's 32 bytes
     */
    public byte[] nodeBytes(int h, long j) {
        return levels.get(h).get(j);
    }

    /**
     * RFC 6962's leaf hash on bytes, without the hex form {@link Sha256} keeps: for the loops that hash
     * every record (opening and verifying a log).
     *
     * @param leaf a leaf's bytes
     * @return {@code SHA-256(0x00 || leaf)}
     */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest md = DIGEST.get();
        md.update((byte) 0);
        md.update(leaf);
        return md.digest();
    }

    /**
     * RFC 6962's interior node hash on bytes.
     *
     * @param left the left child's 32 bytes
     * @param right the right child's 32 bytes
     * @return {@code SHA-256(0x01 || left || right)}
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = DIGEST.get();
        md.update((byte) 1);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** Overwrites a stored node: a seam for tests of {@code verify()}. */
    public void setForTest(int h, long j, Sha256 hash) {
        levels.get(h).set(j, hash.bytes());
    }

    /** @return MTH of the first {@code size} leaves */
    public Sha256 root(long size) {
        checkSize(size);
        return size == 0 ? MerkleTree.emptyRoot() : Sha256.ofDigest(subtree(0, size));
    }

    /** @return RFC 6962's PATH(index, D[size]), bottom up */
    public List<Sha256> inclusionProof(long index, long size) {
        checkSize(size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index must be in [0, " + size + "), was " + index);
        }
        List<Sha256> out = new ArrayList<>();
        path(index, 0, size, out);
        return out;
    }

    /** @return RFC 6962's PROOF(oldSize, D[newSize]) */
    public List<Sha256> consistencyProof(long oldSize, long newSize) {
        checkSize(newSize);
        if (oldSize < 1 || oldSize > newSize) {
            throw new IllegalArgumentException("oldSize must be in [1, " + newSize + "], was " + oldSize);
        }
        List<Sha256> out = new ArrayList<>();
        if (oldSize < newSize) {
            subproof(oldSize, 0, newSize, true, out);
        }
        return out;
    }

    /**
     * MTH(D[from:to]) for a range the decomposition produces: {@code from} is a multiple of the largest
     * power of two not above {@code to - from}, so a range whose length is a power of two is one stored node.
     */
    private byte[] subtree(long from, long to) {
        long n = to - from;
        if (Long.bitCount(n) == 1) {
            int h = Long.numberOfTrailingZeros(n);
            return levels.get(h).get(from >>> h);
        }
        long k = Long.highestOneBit(n - 1);
        return hash(subtree(from, from + k), subtree(from + k, to));
    }

    private void path(long m, long from, long to, List<Sha256> out) {
        long n = to - from;
        if (n <= 1) {
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m < k) {
            path(m, from, from + k, out);
            out.add(Sha256.ofDigest(subtree(from + k, to)));
        } else {
            path(m - k, from + k, to, out);
            out.add(Sha256.ofDigest(subtree(from, from + k)));
        }
    }

    private void subproof(long m, long from, long to, boolean complete, List<Sha256> out) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(Sha256.ofDigest(subtree(from, to)));
            }
            return;
        }
        long k = Long.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, from, from + k, complete, out);
            out.add(Sha256.ofDigest(subtree(from + k, to)));
        } else {
            subproof(m - k, from + k, to, false, out);
            out.add(Sha256.ofDigest(subtree(from, from + k)));
        }
    }

    private static byte[] hash(byte[] left, byte[] right) {
        return nodeHash(left, right);
    }

    private void checkSize(long size) {
        if (size < 0 || size > size()) {
            throw new IllegalArgumentException("size must be in [0, " + size() + "], was " + size);
        }
    }
}
