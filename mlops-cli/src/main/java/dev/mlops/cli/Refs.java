package dev.mlops.cli;

import dev.mlops.core.registry.ModelRef;

/** Reading the version references users type: {@code name:7}, {@code name:latest}, {@code name@alias}. */
final class Refs {
    static final String FORMS = "MODEL:VERSION, MODEL:latest or MODEL@ALIAS";

    private Refs() {
    }

    /**
     * @param text what the user typed
     * @return the reference
     * @throws CliException (usage) naming the text when it is none of the forms
     */
    static ModelRef parse(String text) {
        try {
            return ModelRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("reference " + text + ": expected " + FORMS + ": " + e.getMessage());
        }
    }

    /**
     * @param text what the user typed
     * @return the reference, which must name a version by number
     */
    static ModelRef.ByVersion byVersion(String text) {
        if (parse(text) instanceof ModelRef.ByVersion v) {
            return v;
        }
        throw CliException.usage("reference " + text + ": expected MODEL:VERSION with a version number");
    }
}
