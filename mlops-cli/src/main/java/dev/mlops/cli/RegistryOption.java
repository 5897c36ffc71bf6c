package dev.mlops.cli;

import dev.mlops.core.registry.ModelStore;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --registry}: where the registry is, a filesystem store's directory (or, as the option is
 * designed to grow, a {@code jdbc:postgresql:} URL). Falls back to the environment variable
 * {@code MLOPS_REGISTRY}, so a CI job sets it once.
 */
final class RegistryOption {
    static final String ENV = "MLOPS_REGISTRY";

    @Option(names = {"-r", "--registry"}, paramLabel = "DIR", order = -10,
            description = "The registry: a filesystem store's directory. Default: $" + ENV + ".")
    String registry;

    /** @return the registry's text, from the option or the environment */
    String spec() {
        String s = registry != null ? registry : System.getenv(ENV);
        if (s == null || s.isBlank()) {
            throw CliException.usage("no registry: give --registry DIR or set " + ENV);
        }
        return s;
    }

    /** @return the store, which must exist: a typo never creates an empty registry */
    ModelStore open() {
        return openFileSystem();
    }

    /** @return the filesystem store, which must exist */
    FileSystemModelStore openFileSystem() {
        String s = spec();
        if (s.startsWith("jdbc:")) {
            throw CliException.usage("registry " + s.replaceAll("[?;].*", "") + ": only a registry directory is"
                    + " supported by this version of the command");
        }
        Path dir;
        try {
            dir = Path.of(s);
        } catch (InvalidPathException e) {
            throw CliException.usage("registry " + s + ": not a path: " + e.getMessage());
        }
        if (!Files.isDirectory(dir)) {
            throw CliException.usage("registry " + dir + ": no such directory");
        }
        if (!Files.isRegularFile(dir.resolve("registry.json"))) {
            throw CliException.usage("registry " + dir + ": not a model registry (it has no registry.json)");
        }
        return FileSystemModelStore.open(dir);
    }
}
