package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import dev.mlops.core.internal.TreeLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class InMemoryAuditLogTest {
    private static final int N = 160;

    /** The stored levels give what MerkleTree computes from all leaf hashes, for every size and index. */
    @Test
    void rootsAndProofs_equalMerkleTrees_forEverySizeUpTo160() {
        TreeLevels tree = new TreeLevels();
        List<Sha256> leaves = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Sha256 leaf = MerkleTree.leafHash(("leaf " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            leaves.add(leaf);
            tree.append(leaf);
        }
        assertEquals(MerkleTree.emptyRoot(), tree.root(0));
        for (int size = 1; size <= N; size++) {
            assertEquals(MerkleTree.rootOfLeafHashes(leaves, size), tree.root(size), "root " + size);
            for (int index = 0; index < size; index++) {
                assertEquals(MerkleTree.inclusionProof(leaves, index, size), tree.inclusionProof(index, size));
            }
            for (int old = 1; old <= size; old++) {
                assertEquals(MerkleTree.consistencyProof(leaves, old, size), tree.consistencyProof(old, size));
            }
        }
    }

    @Property(tries = 50)
    void logRootsAndProofs_equalMerkleTreesOverTheRecordsCanonicalBytes(@ForAll @IntRange(min = 1, max = 400) int size,
            @ForAll @IntRange(min = 0, max = 399) int index, @ForAll @IntRange(min = 1, max = 400) int old) {
        try (InMemoryAuditLog log = InMemoryAuditLog.builder().build()) {
            for (int i = 0; i < size; i++) {
                log.append(AuditEvent.of("actor" + i % 7, "act" + i % 3, "t" + i));
            }
            List<Sha256> leaves = log.read(0, size).stream().map(AuditRecord::leafHash).toList();
            assertEquals(MerkleTree.rootOfLeafHashes(leaves, size), log.root(size));
            int m = index % size;
            assertEquals(MerkleTree.inclusionProof(leaves, m, size), log.inclusionProof(m, size));
            int o = 1 + (old - 1) % size;
            assertEquals(MerkleTree.consistencyProof(leaves, o, size), log.consistencyProof(o, size));
        }
    }

    /** No timing assertion (that is mlops-bench's job): only that a proof at a million leaves is the O(log n) one. */
    @Test
    void proofsAtAMillionLeaves_completeAndVerify() {
        TreeLevels tree = new TreeLevels();
        Sha256 leaf = MerkleTree.leafHash(new byte[] {42});
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            tree.append(leaf);
        }
        Sha256 root = tree.root(n);
        List<Sha256> proof = tree.inclusionProof(765_432, n);
        assertTrue(proof.size() <= 20);
        assertTrue(MerkleTree.verifyInclusion(leaf, 765_432, n, proof, root));
        assertTrue(MerkleTree.verifyConsistency(654_321, n, tree.root(654_321), root, tree.consistencyProof(654_321, n)));
    }

    @Test
    void verify_namesTheFirstLeafUnderACorruptInnerNode() {
        try (InMemoryAuditLog log = InMemoryAuditLog.builder().build()) {
            for (int i = 0; i < 20; i++) {
                log.append(AuditEvent.of("a", "b", "t" + i));
            }
            assertTrue(log.verify().ok());
            log.corruptNodeForTest(2, 3);
            AuditVerification v = log.verify();
            assertEquals(OptionalLong.of(12), v.firstBad());
            assertEquals("tree node at level 2 over records [12, 16) does not match its children", v.problem());
            log.corruptForTest(5);
            assertEquals(OptionalLong.of(5), log.verify().firstBad());
        }
    }
}
