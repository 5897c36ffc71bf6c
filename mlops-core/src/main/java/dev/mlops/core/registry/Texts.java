package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.util.Objects;

/** Checks on free-text values: bounded length, no control characters. */
final class Texts {
    private Texts() {
    }

    static String check(String what, String value, int min, int max) {
        Objects.requireNonNull(value, what);
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException(what + " must be " + min + " to " + max + " characters, was "
                    + value.length() + ": " + Names.quote(value));
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new IllegalArgumentException(what + " must not contain control characters, found U+"
                        + String.format("%04X", (int) c) + " at index " + i + ": " + Names.quote(value));
            }
        }
        return value;
    }

    static String key(String what, String key) {
        check(what, key, 1, 250);
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters: " + Names.quote(key));
            }
        }
        return key;
    }
}
