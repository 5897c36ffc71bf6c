package dev.mlops.registry.fs;

import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import java.nio.file.Path;

/**
 * Where each kind of file lives in a store directory, layout version 1. Every path is relative to the
 * store's root, so a directory copied or mounted elsewhere is the same store:
 *
 * <pre>
 * registry.json                                  {"format":"mlops.registry","version":1}, written once
 * objects/sha256/ab/ab12...(64 hex)              an artifact, content-addressed, read-only, stored once
 * models/&lt;name&gt;/lock                             the model's lock file (empty; only ever locked)
 * models/&lt;name&gt;/changes/00000000000000000001.json one immutable file per committed change, numbered densely
 * journal/lock                                   the journal's lock file
 * journal/00000000000000000001.json              the store-wide event sequence: one immutable entry per event
 * tmp/                                           temporary files, on the same file system, published by link
 * </pre>
 */
final class Layout {
    static final String REGISTRY_FORMAT = "mlops.registry";
    static final int VERSION = 1;

    final Path root;
    final Path registryFile;
    final Path objects;
    final Path models;
    final Path journal;
    final Path tmp;

    Layout(Path root) {
        this.root = root;
        this.registryFile = root.resolve("registry.json");
        this.objects = root.resolve("objects").resolve("sha256");
        this.models = root.resolve("models");
        this.journal = root.resolve("journal");
        this.tmp = root.resolve("tmp");
    }

    /** Twenty digits, zero-padded: names sort as numbers do, up to {@link Long#MAX_VALUE}. */
    static String numbered(long n) {
        return String.format("%020d", n) + ".json";
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
