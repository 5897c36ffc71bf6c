package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Proofs built by {@link MerkleTree} verify for every size and index up to a few hundred, and a single
 * flipped bit in the proof, the leaf, the root or the index makes verification fail.
 */
class MerkleTreePropertiesTest {
    private static List<Sha256> leafHashes(int n) {
        List<Sha256> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(MerkleTree.leafHash(("record " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static Sha256 flip(Sha256 h, int bit) {
        byte[] b = h.bytes();
        b[(bit >>> 3) % 32] ^= (byte) (1 << (bit & 7));
        return Sha256.ofDigest(b);
    }

    @Property(tries = 300)
    void inclusionProofs_verify_andAnySingleBitChangeFails(@ForAll @IntRange(min = 1, max = 400) int size,
            @ForAll @IntRange(min = 0, max = 399) int rawIndex, @ForAll @IntRange(min = 0, max = 255) int bit) {
        int index = rawIndex % size;
        List<Sha256> leaves = leafHashes(size);
        Sha256 root = MerkleTree.rootOfLeafHashes(leaves, size);
        List<Sha256> proof = MerkleTree.inclusionProof(leaves, index, size);
        Sha256 leaf = leaves.get(index);
        assertTrue(MerkleTree.verifyInclusion(leaf, index, size, proof, root));

        assertFalse(MerkleTree.verifyInclusion(flip(leaf, bit), index, size, proof, root), "leaf");
        assertFalse(MerkleTree.verifyInclusion(leaf, index, size, proof, flip(root, bit)), "root");
        for (int i = 0; i < proof.size(); i++) {
            List<Sha256> changed = new ArrayList<>(proof);
            changed.set(i, flip(proof.get(i), bit));
            assertFalse(MerkleTree.verifyInclusion(leaf, index, size, changed, root), "proof[" + i + "]");
        }
        for (int b = 0; b < 10; b++) {
            assertFalse(MerkleTree.verifyInclusion(leaf, index ^ (1L << b), size, proof, root), "index bit " + b);
        }
        List<Sha256> shorter = proof.isEmpty() ? List.of(root) : proof.subList(0, proof.size() - 1);
        assertFalse(MerkleTree.verifyInclusion(leaf, index, size, shorter, root), "a hash removed or added");
    }

    @Property(tries = 300)
    void consistencyProofs_verify_andAnySingleBitChangeFails(@ForAll @IntRange(min = 1, max = 400) int newSize,
            @ForAll @IntRange(min = 1, max = 400) int rawOld, @ForAll @IntRange(min = 0, max = 255) int bit) {
        int oldSize = 1 + (rawOld - 1) % newSize;
        List<Sha256> leaves = leafHashes(newSize);
        Sha256 oldRoot = MerkleTree.rootOfLeafHashes(leaves, oldSize);
        Sha256 newRoot = MerkleTree.rootOfLeafHashes(leaves, newSize);
        List<Sha256> proof = MerkleTree.consistencyProof(leaves, oldSize, newSize);
        assertTrue(MerkleTree.verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof));

        assertFalse(MerkleTree.verifyConsistency(oldSize, newSize, flip(oldRoot, bit), newRoot, proof), "old root");
        assertFalse(MerkleTree.verifyConsistency(oldSize, newSize, oldRoot, flip(newRoot, bit), proof), "new root");
        for (int i = 0; i < proof.size(); i++) {
            List<Sha256> changed = new ArrayList<>(proof);
            changed.set(i, flip(proof.get(i), bit));
            assertFalse(MerkleTree.verifyConsistency(oldSize, newSize, oldRoot, newRoot, changed), "proof[" + i + "]");
        }
    }

    /**
     * An inclusion proof binds the leaf, its index and the root, but not every bit of the tree size: the
     * proof of leaf 0 in a tree of 6 has the shape of one in a tree of 7 or 8, so it verifies against the
     * root of 6 under any of those sizes, and under no size with another number of levels. What binds a size to its root is the log's signed checkpoint; a verifier
     * takes both from one checkpoint. (RFC 9162 and the transparency-dev library behave the same way.)
     */
    @Test
    void inclusionProofs_doNotBindTheSizeOnTheirOwn_aCheckpointDoes() {
        List<Sha256> leaves = leafHashes(6);
        Sha256 root = MerkleTree.rootOfLeafHashes(leaves, 6);
        List<Sha256> proof = MerkleTree.inclusionProof(leaves, 0, 6);
        assertTrue(MerkleTree.verifyInclusion(leaves.get(0), 0, 6, proof, root));
        assertTrue(MerkleTree.verifyInclusion(leaves.get(0), 0, 7, proof, root));
        assertTrue(MerkleTree.verifyInclusion(leaves.get(0), 0, 8, proof, root));
        assertFalse(MerkleTree.verifyInclusion(leaves.get(0), 0, 4, proof, root));
        assertFalse(MerkleTree.verifyInclusion(leaves.get(0), 0, 9, proof, root));
    }
}
