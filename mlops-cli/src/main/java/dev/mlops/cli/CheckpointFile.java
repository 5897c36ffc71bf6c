package dev.mlops.cli;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.audit.Checkpoint;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A checkpoint kept in a file: its four-line body ({@link Checkpoint#body()}), then, when signed, one line
 * with the Ed25519 signature in base64, as the main example prints it.
 */
final class CheckpointFile {
    private CheckpointFile() {
    }

    /**
     * @param c a checkpoint
     * @return its file text
     */
    static String text(Checkpoint c) {
        return c.body() + c.signature().map(s -> s + "\n").orElse("");
    }

    /**
     * @param file a checkpoint file
     * @return the checkpoint in it
     */
    static Checkpoint read(Path file) {
        String text = Inputs.readSmall(file, "checkpoint file");
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        while (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        if (n != 4 && n != 5) {
            throw CliException.usage("checkpoint file " + file + ": expected the four lines of a checkpoint and"
                    + " optionally a fifth with its signature, found " + n + " lines");
        }
        String body = String.join("\n", java.util.Arrays.copyOf(lines, 4)) + "\n";
        Optional<String> signature = n == 5 ? Optional.of(lines[4].strip()) : Optional.empty();
        try {
            return Checkpoint.parse(body, signature);
        } catch (InvalidFormatException e) {
            throw CliException.usage("checkpoint file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("checkpoint file " + file + ": line 5: " + e.getMessage());
        }
    }
}
