package dev.mlops.registry.fs;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The seal that ends every JSON file of a layout-2 store: its last field is the SHA-256 of every byte
 * before that field's comma, so that a change to any byte of the file is found when it is read.
 *
 * <pre>
 * {
 *   "format" : "mlops.registry.change",
 *   ...
 *   "kind" : "registered"<b>,
 *   "seal" : "sha256:3f1c...(64 hex)"
 * }</b>
 * </pre>
 *
 * The sealed bytes are the document as written without the seal, less its closing {@code "\n}\n"}; a
 * file can be checked with {@code head -c <size - 89> file | sha256sum}. The seal is a checksum, not a
 * signature: it finds damage and careless edits, and someone who rewrites a file can rewrite its seal.
 */
final class Seal {
    private static final byte[] OPEN = ",\n  \"seal\" : \"sha256:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\"\n}\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n}\n".getBytes(StandardCharsets.US_ASCII);
    /** The seal's bytes: what follows the sealed bytes in a sealed file. */
    static final int LENGTH = OPEN.length + 64 + CLOSE.length;

    private Seal() {
    }

    /**
     * @param document a pretty-printed JSON object ending in {@code "\n}\n"}, as {@code JsonFormat.writePrettyUtf8} writes it
     * @return the document with its seal as the last field
     */
    static byte[] seal(byte[] document) {
        int body = document.length - END.length;
        if (body < 1 || !Arrays.equals(document, body, document.length, END, 0, END.length)) {
            throw new IllegalArgumentException("only a pretty-printed JSON object can be sealed");
        }
        byte[] hex = sha256(document, body).hex().getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(document, body + LENGTH);
        System.arraycopy(OPEN, 0, out, body, OPEN.length);
        System.arraycopy(hex, 0, out, body + OPEN.length, hex.length);
        System.arraycopy(CLOSE, 0, out, body + OPEN.length + hex.length, CLOSE.length);
        return out;
    }

    /** @return whether the bytes end the way a sealed file does (whether the seal is right is for {@link #open}) */
    static boolean looksSealed(byte[] file) {
        int body = file.length - LENGTH;
        return body >= 1 && Arrays.equals(file, body, body + OPEN.length, OPEN, 0, OPEN.length)
                && Arrays.equals(file, file.length - CLOSE.length, file.length, CLOSE, 0, CLOSE.length);
    }

    /**
     * A sealed file's document without its seal, and whether the seal holds. A reader parses the
     * document first, so that a hand-edited field is named, then calls {@link #check()}.
     *
     * @param text the document as it was before it was sealed
     * @param broken the error to throw when the bytes before the seal are not the ones sealed
     */
    record Opened(String text, Optional<InvalidFormatException> broken) {
        /** @throws InvalidFormatException when the seal does not hold */
        void check() {
            if (broken.isPresent()) {
                throw broken.get();
            }
        }
    }

    /**
     * Checks a sealed file and gives back the document without its seal, for the strict reader.
     *
     * @param document the file's name, for errors
     * @param file the file's bytes
     * @return the document as it was before it was sealed, decoded as strict UTF-8, and the seal's error
     *     when any byte before it differs from what was sealed
     * @throws InvalidFormatException when the file does not end in a seal
     */
    static Opened open(String document, byte[] file) {
        if (!looksSealed(file)) {
            throw new InvalidFormatException(document, "/seal", -1, "the file does not end with its seal"
                    + " (,\"seal\":\"sha256:<64 hex>\" as the last field): it was cut short or edited");
        }
        int body = file.length - LENGTH;
        String recorded = new String(file, body + OPEN.length, 64, StandardCharsets.US_ASCII);
        String actual = sha256(file, body).hex();
        Optional<InvalidFormatException> broken = actual.equals(recorded) ? Optional.empty()
                : Optional.of(new InvalidFormatException(document, "/seal", body, "the file's first " + body
                        + " bytes have SHA-256 " + actual + ", but its seal records " + printable(recorded)
                        + ": the file was damaged or edited after it was written"));
        byte[] plain = Arrays.copyOf(file, body + END.length);
        System.arraycopy(END, 0, plain, body, END.length);
        return new Opened(utf8(document, plain), broken);
    }

    /**
     * @param document the file's name, for errors
     * @param file the file's bytes
     * @param sealed whether the file's layout seals its files
     * @return the document: checked and unsealed when sealed, else the file as it is
     */
    static Opened read(String document, byte[] file, boolean sealed) {
        return sealed ? open(document, file) : new Opened(utf8(document, file), Optional.empty());
    }

    private static Sha256 sha256(byte[] bytes, int length) {
        MessageDigest md = Sha256.newDigest();
        md.update(bytes, 0, length);
        return Sha256.ofDigest(md.digest());
    }

    /** Strict UTF-8: a malformed byte is an error, never a replacement character. */
    static String utf8(String document, byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new InvalidFormatException(document, "", -1, "not valid UTF-8");
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
