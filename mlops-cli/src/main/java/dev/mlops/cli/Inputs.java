package dev.mlops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the small text files commands take (keys, checkpoints), with errors that name the file. */
final class Inputs {
    private static final int MAX_SMALL_FILE = 16 * 1024;

    private Inputs() {
    }

    /**
     * @param file a small text file
     * @param what what it should be, for messages
     * @return its text, UTF-8
     */
    static String readSmall(Path file, String what) {
        try {
            if (Files.size(file) > MAX_SMALL_FILE) {
                throw CliException.usage(what + " " + file + ": larger than " + MAX_SMALL_FILE + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliException.usage(what + " " + file + ": no such file");
        } catch (IOException e) {
            throw CliException.usage(what + " " + file + ": cannot be read: " + e, e);
        }
    }
}
