package dev.mlops.core.registry;

import dev.mlops.core.Names;

/**
 * Names one model version: by number, by alias, or as the latest live version.
 *
 * <pre>{@code
 * ModelRef.of("fraud-scorer", 7);
 * ModelRef.alias("fraud-scorer", "champion");
 * ModelRef.latest("fraud-scorer");
 * ModelRef.parse("fraud-scorer@champion");   // also "fraud-scorer:7", "fraud-scorer:latest"
 * }</pre>
 */
public sealed interface ModelRef permits ModelRef.ByVersion, ModelRef.ByAlias, ModelRef.Latest {

    /** @return the model's name */
    String model();

    /**
     * @param model model name
     * @param version version number, at least 1
     * @return a reference to that exact version
     */
    static ByVersion of(String model, long version) {
        return new ByVersion(model, version);
    }

    /**
     * @param model model name
     * @param alias alias such as {@code champion}
     * @return a reference to whatever the alias points at when it is resolved
     */
    static ByAlias alias(String model, String alias) {
        return new ByAlias(model, alias);
    }

    /**
     * @param model model name
     * @return a reference to the highest-numbered version not deleted
     */
    static Latest latest(String model) {
        return new Latest(model);
    }

    /**
     * Parses {@code name:7}, {@code name:latest} or {@code name@alias}, in the canonical form only, the one
     * {@code toString()} writes: the version in ASCII digits, without sign or leading zero, so that one
     * version has one text ({@code a:+1}, {@code a:01} and {@code a:}&#x0661; are refused, not read as
     * {@code a:1}).
     *
     * @param text the reference in text form
     * @return the reference
     * @throws IllegalArgumentException when {@code text} has none of these forms or names are invalid
     */
    static ModelRef parse(String text) {
        java.util.Objects.requireNonNull(text, "text");
        int at = text.indexOf('@');
        if (at >= 0) {
            return alias(text.substring(0, at), text.substring(at + 1));
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("model reference " + Names.quote(text)
                    + " must be name:version, name:latest or name@alias");
        }
        String model = text.substring(0, colon);
        String version = text.substring(colon + 1);
        if (version.equals("latest")) {
            return latest(model);
        }
        if (!canonicalVersion(version)) {
            throw new IllegalArgumentException("model reference " + Names.quote(text)
                    + ": version must be 'latest' or a number from 1 to " + Long.MAX_VALUE
                    + " in ASCII digits without sign or leading zero");
        }
        return of(model, Long.parseLong(version));
    }

    private static boolean canonicalVersion(String v) {
        if (v.isEmpty() || v.length() > 19 || v.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return v.length() < 19 || v.compareTo(Long.toString(Long.MAX_VALUE)) <= 0;
    }

    /**
     * An exact version.
     *
     * @param model model name
     * @param version version number, at least 1
     */
    record ByVersion(String model, long version) implements ModelRef {
        /**
         * Validates the parts.
         *
         * @param model model name
         * @param version version number, at least 1
         */
        public ByVersion {
            Names.checkModel(model);
            if (version < 1) {
                throw new IllegalArgumentException("version of " + model + " must be >= 1, was " + version);
            }
        }

        @Override
        public String toString() {
            return model + ":" + version;
        }
    }

    /**
     * The version an alias points at.
     *
     * @param model model name
     * @param alias the alias
     */
    record ByAlias(String model, String alias) implements ModelRef {
        /**
         * Validates the parts.
         *
         * @param model model name
         * @param alias the alias
         */
        public ByAlias {
            Names.checkModel(model);
            Names.checkAlias(alias);
        }

        @Override
        public String toString() {
            return model + "@" + alias;
        }
    }

    /**
     * The highest-numbered live version.
     *
     * @param model model name
     */
    record Latest(String model) implements ModelRef {
        /**
         * Validates the name.
         *
         * @param model model name
         */
        public Latest {
            Names.checkModel(model);
        }

        @Override
        public String toString() {
            return model + ":latest";
        }
    }
}
