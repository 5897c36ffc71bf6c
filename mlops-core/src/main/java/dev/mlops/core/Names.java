package dev.mlops.core;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one allow-list that every user-supplied name passes before it is stored or touches a path:
 * model names, aliases and tag keys.
 *
 * <p>A name is 1 to {@value #MAX_LENGTH} characters from {@code [a-z0-9._-]}, starts with a
 * lower-case letter, does not end with {@code .}, never contains {@code ..}, and is not a device
 * name reserved by Windows ({@code con}, {@code nul}, {@code com1}, ... with or without an extension).
 * So a name is always a safe, portable file name: no path separator, no control character, no
 * upper case (two names never collide on a case-insensitive file system), and it is the same in a
 * URL. Docker image names and Kubernetes object names follow a similar rule.
 *
 * <pre>{@code
 * Names.checkModel("fraud-scorer");   // returns it
 * Names.checkAlias("Champion");       // throws InvalidNameException
 * }</pre>
 */
public final class Names {
    /** Longest accepted name, in characters. */
    public static final int MAX_LENGTH = 64;

    /** The allow-list pattern; {@link #isValid(String)} adds the rules a regular expression reads badly. */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private static final Set<String> WINDOWS_DEVICES = Set.of(
            "con", "prn", "aux", "nul",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

    private Names() {
    }

    /**
     * @param name any string
     * @return whether {@code name} is acceptable as a model name, alias or tag key
     */
    public static boolean isValid(String name) {
        if (name == null || !PATTERN.matcher(name).matches()) {
            return false;
        }
        if (name.contains("..") || name.endsWith(".")) {
            return false;
        }
        int dot = name.indexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        return !WINDOWS_DEVICES.contains(stem);
    }

    /**
     * @param name a model name
     * @return {@code name}
     * @throws InvalidNameException when it breaks the rule
     */
    public static String checkModel(String name) {
        return check("model name", name);
    }

    /**
     * @param alias an alias such as {@code champion}
     * @return {@code alias}
     * @throws InvalidNameException when it breaks the rule
     */
    public static String checkAlias(String alias) {
        return check("alias", alias);
    }

    /**
     * @param key a tag key
     * @return {@code key}
     * @throws InvalidNameException when it breaks the rule
     */
    public static String checkTagKey(String key) {
        return check("tag key", key);
    }

    /**
     * @param what what kind of name this is, for the message
     * @param name the name to check
     * @return {@code name}
     * @throws InvalidNameException when it breaks the rule
     */
    public static String check(String what, String name) {
        Objects.requireNonNull(name, what);
        if (!isValid(name)) {
            throw new InvalidNameException(what + " " + quote(name) + " is not valid: expected 1 to " + MAX_LENGTH
                    + " characters of [a-z0-9._-], starting with a lower-case letter, without '..', not ending"
                    + " with '.', and not a reserved device name");
        }
        return name;
    }

    /**
     * Quotes a string for an error message, escaping control and non-ASCII characters and cutting
     * it short, so that hostile input cannot forge log lines.
     *
     * @param s any string
     * @return a printable, bounded rendering of {@code s}
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        int limit = Math.min(s.length(), 100);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        if (s.length() > limit) {
            b.append("...(").append(s.length()).append(" chars)");
        }
        return b.append('"').toString();
    }
}
