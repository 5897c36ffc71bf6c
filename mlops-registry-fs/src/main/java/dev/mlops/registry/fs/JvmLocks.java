package dev.mlops.registry.fs;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-JVM half of the store's locks, one set per store directory and shared by every store open on
 * it in this JVM. File locks belong to the process, not the thread or the channel: two threads, or two
 * stores on one directory, cannot exclude each other with {@code FileChannel.lock()} (the second gets
 * an {@code OverlappingFileLockException}), and closing any channel on a file may drop the process's
 * lock on it. So a thread first takes the in-JVM lock here, and only the one thread holding it opens,
 * locks, releases and closes the lock file.
 *
 * <p>This is the library's one piece of static state, and it is unavoidable for that reason; an entry
 * lives while a store on its directory is open.
 */
final class JvmLocks {
    private static final Map<Path, JvmLocks> OPEN = new HashMap<>();

    private final Path root;
    private int users;
    private final ConcurrentHashMap<String, ReentrantLock> models = new ConcurrentHashMap<>();
    /** Guards the journal, and {@link #nextSequence}. */
    final ReentrantLock journal = new ReentrantLock();
    /** The next journal sequence as far as this JVM knows; 0 until looked up. Guarded by {@link #journal}. */
    long nextSequence;

    private JvmLocks(Path root) {
        this.root = root;
    }

    /**
     * @param realRoot the store directory's real path, so that every way of naming it finds the same locks
     * @return its locks; call {@link #release()} once when the store closes
     */
    static JvmLocks acquire(Path realRoot) {
        synchronized (OPEN) {
            JvmLocks locks = OPEN.computeIfAbsent(realRoot, JvmLocks::new);
            locks.users++;
            return locks;
        }
    }

    void release() {
        synchronized (OPEN) {
            if (--users == 0) {
                OPEN.remove(root);
            }
        }
    }

    ReentrantLock model(String name) {
        return models.computeIfAbsent(name, n -> new ReentrantLock());
    }
}
