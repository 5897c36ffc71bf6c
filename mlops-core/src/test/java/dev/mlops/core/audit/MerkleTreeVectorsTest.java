package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The RFC 6962 vectors published with the transparency-dev Merkle library (see
 * {@code src/test/resources/rfc6962/README.md}): the roots of the standard 8 leaves at every size, and
 * every inclusion and consistency probe, byte for byte.
 */
class MerkleTreeVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode read(String resource) throws IOException {
        try (InputStream in = MerkleTreeVectorsTest.class.getResourceAsStream("/rfc6962/" + resource)) {
            return JSON.readTree(in);
        }
    }

    private static List<byte[]> leaves() throws IOException {
        List<byte[]> out = new ArrayList<>();
        read("tree-8-leaves.json").get("leaves").forEach(n -> out.add(HexFormat.of().parseHex(n.asText())));
        return out;
    }

    @Test
    void root_ofTheFirstNOfTheStandard8Leaves_isThePublishedRoot_forEveryN() throws IOException {
        List<byte[]> leaves = leaves();
        JsonNode roots = read("tree-8-leaves.json").get("roots");
        for (int n = 0; n <= 8; n++) {
            assertEquals(Sha256.parse(roots.get(n).asText()), MerkleTree.root(leaves.subList(0, n)), "size " + n);
        }
    }

    /**
     * A root from a probe. A value that is not 32 bytes (the probes use some, such as "don't care" roots
     * or an empty root) cannot be a {@code Sha256}; it stands in as a digest of a labelled copy of its
     * bytes, which keeps equality between such values and matches no real node (the empty string's own
     * digest is the empty tree's root, so the label matters).
     */
    private static Optional<Sha256> hash(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        byte[] bytes = Base64.getDecoder().decode(node.asText());
        return Optional.of(bytes.length == 32 ? Sha256.ofDigest(bytes)
                : Sha256.ofUtf8("not a SHA-256: " + node.asText()));
    }

    /** A leaf hash or proof node: one of another size is refused, as the library refuses it. */
    private static Optional<Sha256> node(JsonNode node) {
        byte[] bytes = Base64.getDecoder().decode(node.asText());
        return bytes.length == 32 ? Optional.of(Sha256.ofDigest(bytes)) : Optional.empty();
    }

    private static Optional<List<Sha256>> hashes(JsonNode array) {
        List<Sha256> out = new ArrayList<>();
        if (array == null || array.isNull()) {
            return Optional.of(out);
        }
        for (JsonNode n : array) {
            Optional<Sha256> h = node(n);
            if (h.isEmpty()) {
                return Optional.empty();
            }
            out.add(h.get());
        }
        return Optional.of(out);
    }

    private static Stream<Path> probes(String kind) throws URISyntaxException, IOException {
        Path dir = Path.of(MerkleTreeVectorsTest.class.getResource("/rfc6962/" + kind).toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() > 50, kind + ": only " + files.size() + " probes");
        return files.stream();
    }

    @TestFactory
    Stream<DynamicTest> verifyInclusion_agreesWithEveryPublishedProbe() throws Exception {
        return probes("inclusion").map(file -> DynamicTest.dynamicTest(file.getParent().getFileName() + "/"
                + file.getFileName(), () -> {
                    JsonNode p = JSON.readTree(file.toFile());
                    boolean wantErr = p.get("wantErr").asBoolean();
                    Optional<Sha256> leaf = node(p.get("leafHash"));
                    Optional<Sha256> root = hash(p.get("root"));
                    Optional<List<Sha256>> proof = hashes(p.get("proof"));
                    boolean ok = leaf.isPresent() && root.isPresent() && proof.isPresent()
                            && MerkleTree.verifyInclusion(leaf.get(), p.get("leafIdx").asLong(), p.get("treeSize").asLong(),
                                    proof.get(), root.get());
                    assertEquals(!wantErr, ok, p.get("desc").asText());
                }));
    }

    @TestFactory
    Stream<DynamicTest> verifyConsistency_agreesWithEveryPublishedProbe() throws Exception {
        return probes("consistency").map(file -> DynamicTest.dynamicTest(file.getParent().getFileName() + "/"
                + file.getFileName(), () -> {
                    JsonNode p = JSON.readTree(file.toFile());
                    boolean wantErr = p.get("wantErr").asBoolean();
                    Optional<Sha256> root1 = hash(p.get("root1"));
                    Optional<Sha256> root2 = hash(p.get("root2"));
                    Optional<List<Sha256>> proof = hashes(p.get("proof"));
                    boolean ok = root1.isPresent() && root2.isPresent() && proof.isPresent()
                            && MerkleTree.verifyConsistency(p.get("size1").asLong(), p.get("size2").asLong(), root1.get(),
                                    root2.get(), proof.get());
                    assertEquals(!wantErr, ok, p.get("desc").asText());
                }));
    }

    @Test
    void builtProofs_areTheHappyPathsOfThePublishedProbes() throws Exception {
        List<Sha256> leafHashes = leaves().stream().map(MerkleTree::leafHash).toList();
        int checked = 0;
        for (Path file : probes("inclusion").toList()) {
            JsonNode p = JSON.readTree(file.toFile());
            if (p.get("desc").asText().equals("happy path") && p.get("treeSize").asLong() <= 8) {
                assertEquals(hashes(p.get("proof")).orElseThrow(), MerkleTree.inclusionProof(leafHashes,
                        p.get("leafIdx").asLong(), p.get("treeSize").asLong()), file.toString());
                checked++;
            }
        }
        for (Path file : probes("consistency").toList()) {
            JsonNode p = JSON.readTree(file.toFile());
            if (p.get("desc").asText().equals("happy path") && p.get("size2").asLong() <= 8 && p.get("size1").asLong() > 0) {
                assertEquals(hashes(p.get("proof")).orElseThrow(), MerkleTree.consistencyProof(leafHashes,
                        p.get("size1").asLong(), p.get("size2").asLong()), file.toString());
                checked++;
            }
        }
        assertTrue(checked >= 8, "only " + checked + " happy paths compared");
    }

    @Test
    void emptyTreeRoot_isTheHashOfNothing() {
        assertEquals(Sha256.parse("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                MerkleTree.root(List.of()));
        assertFalse(MerkleTree.verifyConsistency(0, 3, MerkleTree.emptyRoot(), MerkleTree.emptyRoot(), List.of()));
    }
}
