package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Sha256;
import dev.mlops.core.audit.MerkleTree;
import dev.mlops.registry.fs.FileAuditLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit commands, run as {@code java -jar mlops.jar} against a real {@code FileAuditLog}. */
@Tag("jar")
class AuditJarTest {
    @TempDir
    Path tmp;

    @Test
    void signedCheckpoint_verifiesTheLog_provesARecord_andProvesTheLogOnlyGrewSince() {
        Path log = Fixtures.auditLog(tmp.resolve("audit"), 7);
        Jar.run(tmp, "audit", "keygen", "--private-key", "signing.pem", "--public-key", "signing.pub").exits(0).quiet();
        assertContains(Jar.run(tmp, "audit", "checkpoint", "--log", log.toString(), "--sign-key", "signing.pem",
                "--origin", "example.com/fraud-team/audit", "--out", "checkpoint.txt").exits(0).quiet().out(),
                "wrote the checkpoint of 7 records, signed, to checkpoint.txt");

        Jar.Result verified = Jar.run(tmp, "audit", "verify", "--log", log.toString(), "--checkpoint", "checkpoint.txt",
                "--public-key", "signing.pub").exits(0).quiet();
        assertContains(verified.out(), "ok      records: 7 records: every frame, leaf and node verified\n",
                "ok      checkpoint signature: Ed25519 signature verifies with signing.pub\n",
                "ok      checkpoint root: the log's root at size 7 equals the checkpoint's\n", "verified\n");

        JsonNode proof = Jar.run(tmp, "audit", "prove", "--log", log.toString(), "--index", "3", "--checkpoint",
                "checkpoint.txt", "--public-key", "signing.pub", "--json").exits(0).quiet().json();
        assertTrue(proof.get("ok").asBoolean(), proof::toString);
        assertEquals("fraud-scorer:4", proof.get("record").get("target").asText());
        // checked here again with nothing but hashes, as a third party would
        List<Sha256> path = new ArrayList<>();
        proof.get("proof").forEach(h -> path.add(Sha256.parse(h.asText())));
        assertTrue(MerkleTree.verifyInclusion(Sha256.parse(proof.get("leafHash").asText()), 3, 7, path,
                Sha256.parse(proof.get("root").asText())));

        Fixtures.appendTo(log, 7, 5);
        Jar.Result grew = Jar.run(tmp, "audit", "prove", "--log", log.toString(), "--from", "checkpoint.txt",
                "--public-key", "signing.pub").exits(0).quiet();
        assertContains(grew.out(), "from    size 7, root ", "tree    size 12, root ",
                "ok      earlier checkpoint signature: ", "ok      consistency: the tree of 7 records is a prefix of the"
                        + " tree of 12\n", "verified\n");
    }

    @Test
    void verify_exits1_forAnotherKeysCheckpoint_andForATamperedCopy() throws IOException {
        Path log = Fixtures.auditLog(tmp.resolve("audit"), 5);
        JsonNode keys = Jar.run(tmp, "audit", "keygen", "--private-key", "a.pem", "--public-key", "a.pub", "--json")
                .exits(0).quiet().json();
        assertEquals("a.pem a.pub", keys.get("privateKey").asText() + " " + keys.get("publicKey").asText());
        assertTrue(Files.readString(tmp.resolve("a.pem")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(tmp.resolve("a.pub")).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a.pem"))));
        }
        Jar.run(tmp, "audit", "keygen", "--private-key", "b.pem", "--public-key", "b.pub").exits(0);
        JsonNode cp = Jar.run(tmp, "audit", "checkpoint", "--log", log.toString(), "--sign-key", "a.pem", "--out",
                "cp.txt", "--json").exits(0).quiet().json();
        assertEquals(FileAuditLog.DEFAULT_ORIGIN, cp.get("origin").asText());
        assertEquals(5, cp.get("size").asLong());
        Instant.parse(cp.get("at").asText());
        try (FileAuditLog l = FileAuditLog.openReadOnly(log)) {
            assertEquals(l.checkpoint().root().hex(), cp.get("root").asText());
        }
        assertEquals(88, cp.get("signature").asText().length(), "an Ed25519 signature in base64");
        assertEquals(Files.readString(tmp.resolve("cp.txt")), cp.get("text").asText(), "the file's text");
        assertTrue(cp.get("text").asText().endsWith(cp.get("signature").asText() + "\n"), cp::toString);

        Jar.Result wrongKey = Jar.run(tmp, "audit", "verify", "--log", log.toString(), "--checkpoint", "cp.txt",
                "--public-key", "b.pub", "--json").exits(1).quiet();
        assertEquals(List.of("records true", "checkpoint signature false", "checkpoint root true"),
                each(wrongKey.json().get("checks"), c -> c.get("name").asText() + " " + c.get("ok").asBoolean()));

        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        Path segment;
        try (Stream<Path> files = Files.list(log)) {
            segment = files.filter(p -> p.toString().endsWith(".audit")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(segment);
        b[b.length - 3] ^= 1; // inside the last record's payload
        Files.write(copy.resolve(segment.getFileName()), b);
        Jar.Result tampered = Jar.run(tmp, "audit", "verify", "--log", copy.toString(), "--checkpoint", "cp.txt",
                "--public-key", "a.pub");
        assertEquals(1, tampered.exitCode(), tampered::toString);
        assertContains(tampered.out(), "FAILED", "NOT VERIFIED\n");
    }

    @Test
    void usageErrors_exit2_namingTheInput() {
        Jar.Result noLog = Jar.run(tmp, "audit", "verify", "--log", "missing").exits(2);
        assertEquals("mlops audit verify: audit log missing: no such directory\n", noLog.err());
        Jar.Result both = Jar.run(tmp, "audit", "prove", "--log", "missing", "--index", "1", "--from-size", "1").exits(2);
        assertContains(both.err(), "mutually exclusive", "Try 'mlops audit prove --help'");
    }
}
