package dev.mlops.drift.internal;

import java.util.List;

/**
 * Quotes user-supplied text (category names) for one-line error messages: escaped as a Java string
 * literal (quotes, backslashes, and every control, format, separator or non-ASCII-printable character as
 * {@code \}{@code uXXXX}), and shortened. Public for {@code StatTestDetector}; a shared helper in
 * mlops-core may replace it. Stateless and thread-safe.
 */
public final class Quote {
    /** The most characters of the input a quotation shows. */
    static final int MAX_CHARS = 40;
    /** The most entries a quoted list shows. */
    static final int MAX_ENTRIES = 5;

    private Quote() {
    }

    /**
     * @param s any text
     * @return {@code s} in double quotes, escaped, cut after {@value #MAX_CHARS} characters with
     *     {@code …(N chars)} appended, where N is the full length
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 16).append('"');
        int shown = Math.min(s.length(), MAX_CHARS);
        if (shown < s.length() && Character.isHighSurrogate(s.charAt(shown - 1))) {
            shown--;
        }
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append(c);
                    } else {
                        String hex = Integer.toHexString(c);
                        sb.append("\\u").append("0000", hex.length(), 4).append(hex);
                    }
                }
            }
        }
        sb.append('"');
        if (shown < s.length()) {
            sb.append("\u2026(").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }

    /**
     * @param items texts to list
     * @return {@code ["a", "b", ...]} with each entry {@link #quote quoted}, at most {@value #MAX_ENTRIES}
     *     entries, then {@code ... and N more}
     */
    public static String list(List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        int shown = Math.min(items.size(), MAX_ENTRIES);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(items.get(i)));
        }
        if (shown < items.size()) {
            sb.append(" ... and ").append(items.size() - shown).append(" more");
        }
        return sb.append(']').toString();
    }
}
