package dev.mlops.core.audit;

import dev.mlops.core.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Merkle tree of RFC 6962 (Certificate Transparency, section 2.1; the verification algorithms as
 * RFC 9162 section 2.1.3.2 and 2.1.4.2 state them), over raw leaf bytes: what anyone needs to check a
 * copy of an audit log with nothing but hashes.
 *
 * <ul>
 *   <li>a leaf's hash is {@code SHA-256(0x00 || leaf)}, an inner node's {@code SHA-256(0x01 || left || right)},
 *       and the empty tree's {@code SHA-256()};</li>
 *   <li>the tree of {@code n > 1} leaves splits at {@code k}, the largest power of two below {@code n}:
 *       {@code MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))};</li>
 *   <li>an inclusion proof shows a leaf is at an index of a tree of a given size; a consistency proof
 *       shows a tree of one size is a prefix of a tree of a larger size (the log only appends).</li>
 * </ul>
 *
 * Verification follows the transparency-dev Merkle library on every edge its published test vectors
 * cover: a consistency proof from the empty tree is refused (it proves nothing), equal sizes need an
 * empty proof and equal roots, and a proof with hashes missing or left over fails. Stateless and
 * thread-safe. Proofs are built here from leaf hashes in O(n); a log that keeps its inner nodes answers
 * them in O(log n) with the same results.
 *
 * <pre>{@code
 * Sha256 leaf = MerkleTree.leafHash(recordBytes);
 * boolean inLog = MerkleTree.verifyInclusion(leaf, index, checkpoint.size(), proof, checkpoint.root());
 * }</pre>
 */
public final class MerkleTree {
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    private MerkleTree() {
    }

    /**
     * @param leaf a leaf's bytes
     * @return {@code SHA-256(0x00 || leaf)}
     */
    public static Sha256 leafHash(byte[] leaf) {
        Objects.requireNonNull(leaf, "leaf");
        MessageDigest md = Sha256.newDigest();
        md.update(LEAF);
        md.update(leaf);
        return Sha256.ofDigest(md.digest());
    }

    /**
     * @param left the left child's hash
     * @param right the right child's hash
     * @return {@code SHA-256(0x01 || left || right)}
     */
    public static Sha256 nodeHash(Sha256 left, Sha256 right) {
        MessageDigest md = Sha256.newDigest();
        md.update(NODE);
        md.update(left.bytes());
        md.update(right.bytes());
        return Sha256.ofDigest(md.digest());
    }

    /** @return the root of the empty tree, {@code SHA-256()} */
    public static Sha256 emptyRoot() {
        return Sha256.of(new byte[0]);
    }

    /**
     * @param leaves the leaves' bytes, in order
     * @return the tree's root (Merkle tree hash)
     */
    public static Sha256 root(List<byte[]> leaves) {
        Objects.requireNonNull(leaves, "leaves");
        List<Sha256> hashes = new ArrayList<>(leaves.size());
        for (byte[] leaf : leaves) {
            hashes.add(leafHash(leaf));
        }
        return rootOfLeafHashes(hashes, hashes.size());
    }

    /**
     * @param leafHashes the leaves' hashes, in order
     * @param size how many of them form the tree, from the first
     * @return the root of the tree of the first {@code size} leaves
     */
    public static Sha256 rootOfLeafHashes(List<Sha256> leafHashes, long size) {
        checkSize(leafHashes, size);
        return size == 0 ? emptyRoot() : subtree(leafHashes, 0, (int) size);
    }

    /** MTH(D[from:to]) for a non-empty range. */
    private static Sha256 subtree(List<Sha256> leafHashes, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leafHashes.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(subtree(leafHashes, from, from + k), subtree(leafHashes, from + k, to));
    }

    /**
     * RFC 6962's PATH(m, D[n]): the hashes that lead from leaf {@code index} to the root of the tree of
     * the first {@code size} leaves, bottom up.
     *
     * @param leafHashes the leaves' hashes, in order
     * @param index the leaf, below {@code size}
     * @param size the tree's size
     * @return the inclusion proof
     */
    public static List<Sha256> inclusionProof(List<Sha256> leafHashes, long index, long size) {
        checkSize(leafHashes, size);
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index must be in [0, " + size + "), was " + index);
        }
        List<Sha256> out = new ArrayList<>();
        path(leafHashes, (int) index, 0, (int) size, out);
        return out;
    }

    private static void path(List<Sha256> leafHashes, int m, int from, int to, List<Sha256> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leafHashes, m, from, from + k, out);
            out.add(subtree(leafHashes, from + k, to));
        } else {
            path(leafHashes, m - k, from + k, to, out);
            out.add(subtree(leafHashes, from, from + k));
        }
    }

    /**
     * RFC 6962's PROOF(m, D[n]): the hashes that show the tree of the first {@code oldSize} leaves is a
     * prefix of the tree of the first {@code newSize}.
     *
     * @param leafHashes the leaves' hashes, in order
     * @param oldSize the smaller tree's size, at least 1
     * @param newSize the larger tree's size
     * @return the consistency proof (empty when the sizes are equal)
     */
    public static List<Sha256> consistencyProof(List<Sha256> leafHashes, long oldSize, long newSize) {
        checkSize(leafHashes, newSize);
        if (oldSize < 1 || oldSize > newSize) {
            throw new IllegalArgumentException("oldSize must be in [1, " + newSize + "], was " + oldSize);
        }
        List<Sha256> out = new ArrayList<>();
        if (oldSize < newSize) {
            subproof(leafHashes, (int) oldSize, 0, (int) newSize, true, out);
        }
        return out;
    }

    private static void subproof(List<Sha256> leafHashes, int m, int from, int to, boolean complete, List<Sha256> out) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(subtree(leafHashes, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leafHashes, m, from, from + k, complete, out);
            out.add(subtree(leafHashes, from + k, to));
        } else {
            subproof(leafHashes, m - k, from + k, to, false, out);
            out.add(subtree(leafHashes, from, from + k));
        }
    }

    /**
     * Whether {@code proof} shows that the leaf with hash {@code leafHash} is at {@code index} of the tree
     * of {@code size} leaves whose root is {@code root} (RFC 9162, 2.1.3.2).
     *
     * @param leafHash the leaf's hash ({@link #leafHash(byte[])})
     * @param index the leaf's position
     * @param size the tree's size
     * @param proof the inclusion proof, bottom up
     * @param root the tree's root
     * @return true exactly when the proof is valid
     */
    public static boolean verifyInclusion(Sha256 leafHash, long index, long size, List<Sha256> proof, Sha256 root) {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(root, "root");
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        Sha256 r = leafHash;
        for (Sha256 p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && r.constantTimeEquals(root);
    }

    /**
     * Whether {@code proof} shows that the tree of {@code oldSize} leaves with root {@code oldRoot} is a
     * prefix of the tree of {@code newSize} leaves with root {@code newRoot} (RFC 9162, 2.1.4.2). A proof
     * from the empty tree proves nothing and is refused, as the transparency-dev library refuses it.
     *
     * @param oldSize the smaller tree's size
     * @param newSize the larger tree's size
     * @param oldRoot the smaller tree's root
     * @param newRoot the larger tree's root
     * @param proof the consistency proof
     * @return true exactly when the proof is valid
     */
    public static boolean verifyConsistency(long oldSize, long newSize, Sha256 oldRoot, Sha256 newRoot,
            List<Sha256> proof) {
        Objects.requireNonNull(oldRoot, "oldRoot");
        Objects.requireNonNull(newRoot, "newRoot");
        Objects.requireNonNull(proof, "proof");
        if (oldSize < 1 || newSize < oldSize) {
            return false;
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && oldRoot.constantTimeEquals(newRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<Sha256> path = proof;
        if (Long.bitCount(oldSize) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(oldRoot);
            path.addAll(proof);
        }
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        Sha256 fr = path.get(0);
        Sha256 sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            Sha256 c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        return sn == 0 && fr.constantTimeEquals(oldRoot) && sr.constantTimeEquals(newRoot);
    }

    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static void checkSize(List<Sha256> leafHashes, long size) {
        Objects.requireNonNull(leafHashes, "leafHashes");
        if (size < 0 || size > leafHashes.size()) {
            throw new IllegalArgumentException("size must be in [0, " + leafHashes.size() + "], was " + size);
        }
    }
}
