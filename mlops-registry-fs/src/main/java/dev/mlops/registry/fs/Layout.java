package dev.mlops.registry.fs;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.internal.JsonFormat;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where each kind of file lives in a store directory. Every path is relative to the store's root, so a
 * directory copied or mounted elsewhere is the same store. Layouts 1 and 2 have the same files; in
 * layout 2 every JSON file ends with a {@link Seal}:
 *
 * <pre>
 * registry.json                                  {"format":"mlops.registry","version":1}, written once
 * objects/sha256/ab/ab12...(64 hex)              an artifact, content-addressed, read-only, stored once
 * models/&lt;name&gt;/lock                             the model's lock file (empty; only ever locked)
 * models/&lt;name&gt;/changes/00000000000000000001.json one immutable file per committed change, numbered densely
 * models/&lt;name&gt;/snapshots/00000000000000000064.json the model's state after that change (layout 2 only; a cache)
 * journal/lock                                   the journal's lock file
 * journal/00000000000000000001.json              the store-wide event sequence: one immutable entry per event
 * tmp/                                           temporary files, on the same file system, published by link
 * </pre>
 */
final class Layout {
    /** The layout new stores get. */
    static final int VERSION = 2;
    /** {@code registry.json}: the layout's version; every layout since the first is read. */
    static final JsonFormat REGISTRY = new JsonFormat("mlops.registry", VERSION, 1);
    /** The first layout whose JSON files are sealed. */
    static final int SEALED = 2;
    /** The suffix of an encrypted artifact's file. */
    static final String ENCRYPTED = ".enc";

    final Path root;
    /** The store's layout version, from its {@code registry.json}; 0 before that is read. */
    final int version;
    final Path registryFile;
    final Path objects;
    final Path models;
    final Path journal;
    final Path tmp;
    final Path quarantine;

    Layout(Path root) {
        this(root, 0);
    }

    private Layout(Path root, int version) {
        this.root = root;
        this.version = version;
        this.registryFile = root.resolve("registry.json");
        this.objects = root.resolve("objects").resolve("sha256");
        this.models = root.resolve("models");
        this.journal = root.resolve("journal");
        this.tmp = root.resolve("tmp");
        this.quarantine = root.resolve("quarantine");
    }

    /** @return this layout, of the version a store's {@code registry.json} gives */
    Layout withVersion(int layoutVersion) {
        return new Layout(root, layoutVersion);
    }

    /** @return whether this store's JSON files end with a {@link Seal} */
    boolean sealed() {
        return version >= SEALED;
    }

    /** Twenty digits, zero-padded: names sort as numbers do, up to {@link Long#MAX_VALUE}. */
    static String numbered(long n) {
        return String.format("%020d", n) + ".json";
    }

    /**
     * @return the number a change file's or journal entry's name gives, or empty when the name is not
     *     twenty digits and {@code .json} or the number is below 1
     */
    static OptionalLong number(String fileName) {
        if (fileName.length() != 25 || !fileName.endsWith(".json")) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < 20; i++) {
            if (fileName.charAt(i) < '0' || fileName.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            long n = Long.parseLong(fileName.substring(0, 20));
            return n >= 1 ? OptionalLong.of(n) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** @return the digest an artifact file's directory and name give, or empty when they are not one */
    static Optional<Sha256> objectName(String prefix, String name) {
        if (name.length() == 64 + ENCRYPTED.length() && name.endsWith(ENCRYPTED)) {
            return objectName(prefix, name.substring(0, 64));
        }
        if (name.length() != 64 || !name.startsWith(prefix) || prefix.length() != 2) {
            return Optional.empty();
        }
        for (int i = 0; i < 64; i++) {
            char c = name.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return Optional.empty();
            }
        }
        return Optional.of(new Sha256(name));
    }

    /** Where fsck puts an artifact whose bytes no longer match its name: the same file name under quarantine/. */
    Path quarantined(Path object) {
        return quarantine.resolve(object.getFileName().toString());
    }

    /** An artifact encrypted by {@link ChunkedGcm}: beside where its plaintext would be, with {@code .enc}. */
    Path encryptedObject(Sha256 digest) {
        String hex = digest.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex + ENCRYPTED);
    }

    Path object(Sha256 digest) {
        String hex = digest.hex();
        return objects.resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** The only way a model name becomes a path: it passes {@link Names#checkModel} here, whatever checked it before. */
    Path modelDir(String model) {
        return models.resolve(Names.checkModel(model));
    }

    Path changes(String model) {
        return modelDir(model).resolve("changes");
    }

    Path change(String model, long number) {
        return changes(model).resolve(numbered(number));
    }

    Path snapshots(String model) {
        return modelDir(model).resolve("snapshots");
    }

    Path snapshot(String model, long number) {
        return snapshots(model).resolve(numbered(number));
    }

    Path modelLock(String model) {
        return modelDir(model).resolve("lock");
    }

    Path journalEntry(long sequence) {
        return journal.resolve(numbered(sequence));
    }

    Path journalLock() {
        return journal.resolve("lock");
    }

    /** @return the path relative to the root, with forward slashes, for messages and golden files */
    String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }
}
