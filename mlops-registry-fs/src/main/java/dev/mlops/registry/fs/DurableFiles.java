package dev.mlops.registry.fs;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The store's only ways to write and read a file. A durable write is: write a temporary file under
 * {@code tmp/}, {@code force()} it, publish it with a hard link to its final name (which fails if the
 * name exists, so nothing is ever overwritten), delete the temporary name, and {@code force()} the
 * parent directory; only then is the write acknowledged.
 */
final class DurableFiles {
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
            .startsWith("windows");

    private DurableFiles() {
    }

    /** Writes bytes to a file. */
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes a new temporary file in {@code tmpDir} and forces it to disk.
     *
     * @return the temporary file
     */
    static Path writeTemp(Path tmpDir, String prefix, Writer writer) throws IOException {
        // not Files.createTempFile, which makes the file private (0600): a team's store is read by several users
        Path temp = tmpDir.resolve(prefix + java.util.UUID.randomUUID() + ".tmp");
        boolean done = false;
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(ch);
            writer.write(out);
            out.flush();
            ch.force(true);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
        return temp;
    }

    /**
     * Publishes a forced temporary file under its final name, atomically and without overwriting.
     *
     * @return false when the name existed already (the temporary file is deleted either way)
     */
    static boolean publish(Path temp, Path target) throws IOException {
        try {
            try {
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException e) {
                // no hard links here: a rename cannot refuse an existing name, so the caller's lock must
                if (Files.exists(target)) {
                    return false;
                }
                Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(target.getParent());
        return true;
    }

    /** Creates a directory and any missing parents, forcing each parent that gained an entry. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return;
        }
        if (parent != null) {
            forceDirectory(parent);
        }
    }

    /**
     * Whether a file exists, by one {@code stat} and without the exception {@code Files.exists} builds
     * and drops on JDK 17 when it does not: reads look for the next change file every time.
     */
    static boolean exists(Path file) {
        return file.toFile().exists();
    }

    /** Forces a directory's entries to disk, so that a published name survives a crash. */
    static void forceDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // directories cannot be opened for force() there; NTFS journals its metadata
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Reads a whole small file.
     *
     * @param document the name errors give it
     * @param maxBytes the largest file accepted
     * @return its bytes, or empty when the file does not exist
     */
    static Optional<byte[]> readBytes(Path file, String document, int maxBytes) {
        if (!exists(file)) {
            return Optional.empty(); // checked first: a missing file is the common case, and its exception costly
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("reading " + document + " failed", e);
        }
        if (bytes.length > maxBytes) {
            throw new InvalidFormatException(document, "", -1, "file is longer than the limit of " + maxBytes + " bytes");
        }
        return Optional.of(bytes);
    }
}
