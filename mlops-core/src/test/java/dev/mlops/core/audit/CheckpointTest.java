package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.KeyFactory;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private static final Instant T = Instant.parse("2026-11-27T10:15:30.123456789Z");
    private static final Sha256 ROOT = MerkleTree.root(java.util.List.of(new byte[] {1}, new byte[] {2}));

    @Test
    void body_isTheC2spCheckpointBody_withATimeLine() {
        Checkpoint c = Checkpoint.unsigned("example.com/audit", 2, ROOT, T);
        assertEquals("example.com/audit\n2\n" + java.util.Base64.getEncoder().encodeToString(ROOT.bytes())
                + "\ntime 2026-11-27T10:15:30.123456789Z\n", c.body());
        assertEquals(c, Checkpoint.parse(c.body(), Optional.empty()));
    }

    /** RFC 8032 section 7.1, test 1: the key pair whose signatures are deterministic, so this one is fixed. */
    @Test
    void signed_withTheRfc8032TestKey_givesAFixedSignature() throws Exception {
        byte[] seed = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        byte[] pkcs8 = HexFormat.of().parseHex("302e020100300506032b657004220420" + HexFormat.of().formatHex(seed));
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        Checkpoint a = Checkpoint.signed("example.com/audit", 2, ROOT, T, key);
        Checkpoint b = Checkpoint.signed("example.com/audit", 2, ROOT, T, key);
        assertEquals(a, b);
        assertEquals(88, a.signature().orElseThrow().length());
    }

    @Test
    void verify_acceptsTheSignersKey_refusesAnotherKeyAndEveryChangedField() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PublicKey other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        Checkpoint c = Checkpoint.signed("example.com/audit", 2, ROOT, T, keys.getPrivate());
        assertTrue(c.verify(keys.getPublic()));
        assertFalse(c.verify(other));
        assertFalse(new Checkpoint("example.com/audiT", 2, ROOT, T, c.signature()).verify(keys.getPublic()));
        assertFalse(new Checkpoint(c.origin(), 3, ROOT, T, c.signature()).verify(keys.getPublic()));
        assertFalse(new Checkpoint(c.origin(), 2, Sha256.ofUtf8("x"), T, c.signature()).verify(keys.getPublic()));
        assertFalse(new Checkpoint(c.origin(), 2, ROOT, T.plusNanos(1), c.signature()).verify(keys.getPublic()));
        assertFalse(Checkpoint.unsigned(c.origin(), 2, ROOT, T).verify(keys.getPublic()));
        byte[] sig = java.util.Base64.getDecoder().decode(c.signature().orElseThrow());
        sig[17] ^= 1;
        assertFalse(new Checkpoint(c.origin(), 2, ROOT, T, Optional.of(java.util.Base64.getEncoder().encodeToString(sig)))
                .verify(keys.getPublic()));
    }

    @Test
    void keysOfAnotherAlgorithm_areRefusedWithAMessage() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.signed("o", 0, ROOT, T, ec.getPrivate()));
        Checkpoint c = Checkpoint.unsigned("o", 0, ROOT, T);
        Checkpoint signed = Checkpoint.signed("o", 0, ROOT, T, KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate());
        assertFalse(c.verify(ec.getPublic()));
        assertThrows(IllegalArgumentException.class, () -> signed.verify(ec.getPublic()));
    }

    @Test
    void origin_followsTheC2spRule() {
        for (String bad : new String[] {"", "a b", "a+b", "a\nb", "caf\u00e9", "x".repeat(201)}) {
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.unsigned(bad, 0, ROOT, T), bad);
        }
    }

    @Test
    void parse_refusesNonCanonicalText() {
        String body = Checkpoint.unsigned("o", 2, ROOT, T).body();
        for (String bad : new String[] {body.replace("\n2\n", "\n02\n"), body.strip(), body + "extra\n",
                body.replace("time ", "when "), body.replace("\n2\n", "\n-1\n")}) {
            assertThrows(InvalidFormatException.class, () -> Checkpoint.parse(bad, Optional.empty()), bad);
        }
    }
}
