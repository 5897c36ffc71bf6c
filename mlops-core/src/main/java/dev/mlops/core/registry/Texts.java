package dev.mlops.core.registry;

/**
 * The registry's short names for the shared text rules in {@link dev.mlops.core.Texts}, which the
 * audit log applies too: one validator, so both refuse the same input.
 */
final class Texts {
    private Texts() {
    }

    static String check(String what, String value, int min, int max) {
        return dev.mlops.core.Texts.check(what, value, min, max);
    }

    static String key(String what, String key) {
        return dev.mlops.core.Texts.key(what, key);
    }
}
