package dev.mlops.cli;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 key files: a public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo,
 * what {@code openssl pkey -pubout} writes) or the same DER in one line of base64 (what the main example
 * prints); a private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, what
 * {@code openssl genpkey -algorithm ed25519} writes). Key bytes never reach a message.
 */
final class Keys {
    private Keys() {
    }

    /**
     * @param file a public key file
     * @return the Ed25519 public key in it
     */
    static PublicKey readPublic(Path file) {
        byte[] der = der(file, "public key", "PUBLIC KEY");
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw CliException.usage("public key file " + file + ": not an Ed25519 public key (X.509 PEM expected)");
        }
    }

    /**
     * @param file a private key file
     * @return the Ed25519 private key in it
     */
    static PrivateKey readPrivate(Path file) {
        byte[] der = der(file, "private key", "PRIVATE KEY");
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw CliException.usage("private key file " + file + ": not an Ed25519 private key (PKCS#8 PEM expected)");
        }
    }

    /**
     * @param type {@code PUBLIC KEY} or {@code PRIVATE KEY}
     * @param der the encoded key
     * @return the PEM text, base64 in lines of 64
     */
    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path file, String what, String type) {
        String text = Inputs.readSmall(file, what + " file");
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        String body = text.strip();
        if (body.startsWith("-----BEGIN")) {
            int b = body.indexOf(begin);
            int e = body.indexOf(end);
            if (b != 0 || e < 0) {
                throw CliException.usage(what + " file " + file + ": expected a PEM block " + begin);
            }
            body = body.substring(begin.length(), e);
        }
        try {
            return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(what + " file " + file + ": not base64: " + e.getMessage());
        }
    }
}
