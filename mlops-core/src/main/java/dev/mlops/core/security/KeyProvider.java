package dev.mlops.core.security;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

/**
 * Where a store gets the AES-256 keys it encrypts artifacts with. Every encrypted artifact records the
 * id of the key it was written with, so after a rotation ({@link #currentKeyId()} names a new key) the
 * old keys still read the versions written before. Implementations fetch keys from wherever the
 * application keeps them (a KMS, a vault, a key store); a key's bytes must never reach a log, an
 * exception message or {@code toString}.
 *
 * <pre>{@code
 * KeyProvider keys = KeyProvider.of("2026-12", Map.of("2026-06", oldKey, "2026-12", newKey));
 * ModelStore store = FileSystemModelStore.builder(dir).encryption(keys).build();
 * }</pre>
 */
public interface KeyProvider {
    /** What a key id may be: 1 to 64 of {@code [A-Za-z0-9._-]}, so that it can be stored and logged as is. */
    Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** @return the id of the key new artifacts are encrypted with */
    String currentKeyId();

    /**
     * @param keyId the id recorded with an artifact
     * @return the AES key of 32 bytes with that id
     * @throws NoSuchElementException naming the id (never the key) when the provider has no such key
     */
    SecretKey key(String keyId);

    /**
     * @param keyId a key id
     * @return the id
     * @throws IllegalArgumentException when it is not 1 to 64 of {@code [A-Za-z0-9._-]}
     */
    static String checkKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("a key id must be 1 to 64 of [A-Za-z0-9._-], was "
                    + dev.mlops.core.Names.quote(keyId));
        }
        return keyId;
    }

    /**
     * @param key a key
     * @return the key, when it is an AES key of 32 bytes (AES-256)
     * @throws IllegalArgumentException otherwise, naming the algorithm and length but never the bytes
     */
    static SecretKey checkAes256(SecretKey key) {
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        int length = encoded == null ? -1 : encoded.length;
        if (encoded != null) {
            java.util.Arrays.fill(encoded, (byte) 0);
        }
        if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || length != 32) {
            throw new IllegalArgumentException("expected an AES key of 32 bytes (AES-256), got " + key.getAlgorithm()
                    + " of " + length + " bytes");
        }
        return key;
    }

    /**
     * Keys held in memory, for tests and for applications that load their keys themselves.
     *
     * @param currentKeyId the key new artifacts are encrypted with; must be among {@code keys}
     * @param keys every key that may be needed to read, by id
     * @return the provider; its {@code toString} lists the ids only
     */
    static KeyProvider of(String currentKeyId, Map<String, SecretKey> keys) {
        checkKeyId(currentKeyId);
        Map<String, SecretKey> copy = new TreeMap<>();
        keys.forEach((id, key) -> copy.put(checkKeyId(id), checkAes256(key)));
        if (!copy.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current key id " + currentKeyId + " is not among the keys "
                    + copy.keySet());
        }
        return new KeyProvider() {
            @Override
            public String currentKeyId() {
                return currentKeyId;
            }

            @Override
            public SecretKey key(String keyId) {
                SecretKey k = copy.get(keyId);
                if (k == null) {
                    throw new NoSuchElementException("no key with id " + dev.mlops.core.Names.quote(keyId)
                            + "; this provider has " + copy.keySet());
                }
                return k;
            }

            @Override
            public String toString() {
                return "KeyProvider[current=" + currentKeyId + ", ids=" + copy.keySet() + "]";
            }
        };
    }
}
