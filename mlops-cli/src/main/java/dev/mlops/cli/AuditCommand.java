package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.MerkleTree;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.jdbc.PostgresAuditLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mlops audit verify|checkpoint|prove|keygen}: an audit log, read-only: a {@link FileAuditLog}'s
 * directory, or a {@link PostgresAuditLog}'s {@code jdbc:postgresql:} URL and schema.
 */
@Command(name = "audit", description = {"Verify, checkpoint and prove an audit log (read-only).",
    "A log directory is opened read-only: never written, no lock taken, so a copy or a log beside its live"
            + " writer. A jdbc:postgresql: URL opens a PostgreSQL audit log in --schema, which must exist, and"
            + " only reads it."},
        subcommands = {AuditCommand.Verify.class, AuditCommand.TakeCheckpoint.class, AuditCommand.Prove.class,
            AuditCommand.Keygen.class})
final class AuditCommand implements Runnable {
    static final String ENV = "MLOPS_AUDIT_LOG";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: verify, checkpoint, prove or keygen");
    }

    /** {@code --log DIR|URL} (and {@code --schema}), opened read-only. */
    static final class LogOption {
        @Option(names = {"-l", "--log"}, paramLabel = "DIR|URL", order = -10,
                description = "The audit log: a directory (a FileAuditLog, or a copy of one), or a"
                        + " jdbc:postgresql://HOST:PORT/DB URL (user and password from $" + PostgresConnections.USER
                        + " and $" + PostgresConnections.PASSWORD + "). Default: $" + ENV + ".")
        String log;

        @Option(names = "--schema", paramLabel = "NAME", defaultValue = RegistryOption.DEFAULT_SCHEMA, order = -9,
                description = "A PostgreSQL audit log's schema (default: ${DEFAULT-VALUE}).")
        String schema;

        String spec() {
            String s = log != null ? log : System.getenv(ENV);
            if (s == null || s.isBlank()) {
                throw CliException.usage("no audit log: give --log DIR or URL, or set " + ENV);
            }
            return s;
        }

        boolean isDatabase() {
            return spec().startsWith("jdbc:");
        }

        /** @return the log as messages name it: a URL without parameters or user-info, and with its schema */
        String display() {
            String s = spec();
            return isDatabase() ? PostgresConnections.display(s) + " (schema " + schema + ")" : s;
        }

        Path dir() {
            try {
                return Path.of(spec());
            } catch (java.nio.file.InvalidPathException e) {
                throw CliException.usage("audit log " + spec() + ": not a path: " + e.getMessage());
            }
        }

        /**
         * @return the log, read-only; a directory that holds no segment, or a schema without the log's
         *     tables, is refused rather than read as empty
         */
        AuditLog open() {
            return open(Optional.empty(), FileAuditLog.DEFAULT_ORIGIN);
        }

        /**
         * @param signer signs its checkpoints, when given
         * @param origin its name in checkpoints
         * @return the log, read-only, as {@link #open()}
         */
        AuditLog open(Optional<PrivateKey> signer, String origin) {
            if (isDatabase()) {
                return openPostgres(signer, origin);
            }
            FileAuditLog.Builder b = builder();
            if (signer.isPresent()) {
                b.signer(signer.get(), origin);
            } else {
                b.origin(origin);
            }
            return b.build();
        }

        private PostgresAuditLog openPostgres(Optional<PrivateKey> signer, String origin) {
            String url = spec();
            if (!url.startsWith(PostgresConnections.PREFIX)) {
                throw CliException.usage("audit log " + display() + ": only " + PostgresConnections.PREFIX
                        + " URLs are supported");
            }
            PostgresAuditLog.Builder b;
            try {
                b = PostgresAuditLog.builder(new PostgresConnections(url, System.getenv())).schema(schema);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--schema " + schema + ": " + e.getMessage());
            }
            if (signer.isPresent()) {
                b.signer(signer.get(), origin);
            } else {
                b.origin(origin);
            }
            try {
                return b.requireExisting().build();
            } catch (StoreException e) {
                // the log's messages carry no URL and no password (it redacts the driver's)
                throw CliException.usage("audit log " + display() + ": cannot be opened", e);
            }
        }

        /** @return a read-only builder for the log, after checking the directory holds one */
        private FileAuditLog.Builder builder() {
            Path dir = dir();
            if (!Files.isDirectory(dir)) {
                throw CliException.usage("audit log " + dir + ": no such directory");
            }
            try (var entries = Files.list(dir)) {
                if (entries.noneMatch(p -> p.getFileName().toString().endsWith(".audit"))) {
                    throw CliException.usage("audit log " + dir + ": not an audit log (it has no .audit segment)");
                }
            } catch (IOException e) {
                throw CliException.usage("audit log " + dir + ": cannot be listed: " + e, e);
            }
            return FileAuditLog.builder(dir).readOnly();
        }
    }

    /** {@code --public-key FILE}. */
    static final class KeyOption {
        @Option(names = "--public-key", paramLabel = "FILE",
                description = "Ed25519 public key (PEM, or one line of base64) that every checkpoint given must be"
                        + " signed with.")
        Path publicKey;

        Optional<PublicKey> key() {
            return Optional.ofNullable(publicKey).map(Keys::readPublic);
        }
    }

    /** One check of a verification and how it went. */
    record Check(String name, boolean ok, String detail) {
        ObjectNode json() {
            return Output.object().put("name", name).put("ok", ok).put("detail", detail);
        }

        String line() {
            return (ok ? "ok      " : "FAILED  ") + name + ": " + detail;
        }
    }

    /**
     * Checks a checkpoint's signature, when a key is given.
     *
     * @return the check, or empty when no key was given
     */
    static Optional<Check> signature(String what, Checkpoint c, Optional<PublicKey> key, Path keyFile) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (c.signature().isEmpty()) {
            return Optional.of(new Check(what + " signature", false, "the checkpoint is not signed"));
        }
        boolean ok = c.verify(key.get());
        return Optional.of(new Check(what + " signature", ok, ok
                ? "Ed25519 signature verifies with " + keyFile
                : "the Ed25519 signature does not verify with " + keyFile));
    }

    static ObjectNode checkpointJson(Checkpoint c) {
        ObjectNode o = Output.object();
        o.put("origin", c.origin());
        o.put("size", c.size());
        o.put("root", c.root().hex());
        o.put("at", c.at().toString());
        if (c.signature().isPresent()) {
            o.put("signature", c.signature().get());
        } else {
            o.putNull("signature");
        }
        o.put("text", CheckpointFile.text(c));
        return o;
    }

    static void printChecks(PrintWriter out, boolean json, ObjectNode o, List<Check> checks) {
        boolean ok = checks.stream().allMatch(Check::ok);
        if (json) {
            o.put("ok", ok);
            ArrayNode a = o.putArray("checks");
            checks.forEach(c -> a.add(c.json()));
            Output.print(out, o);
        } else {
            checks.forEach(c -> out.println(c.line()));
            out.println(ok ? "verified" : "NOT VERIFIED");
        }
    }

    /** {@code mlops audit verify}. */
    @Command(name = "verify", description = {"Verify every record of the log, and the log against a checkpoint.",
        "Re-reads every frame, leaf and node from disk (every row of a PostgreSQL log). With --checkpoint, the"
                + " log must hold what the checkpoint vouches for: its root at the checkpoint's size equals the"
                + " checkpoint's; with --public-key the checkpoint's Ed25519 signature must verify too. Exits 1 when"
                + " anything does not verify."})
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        LogOption log;
        @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint kept elsewhere.")
        Path checkpoint;
        @Mixin
        KeyOption key;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Optional<Checkpoint> kept = Optional.ofNullable(checkpoint).map(CheckpointFile::read);
            Optional<PublicKey> publicKey = key.key();
            if (publicKey.isPresent() && kept.isEmpty()) {
                throw CliException.usage("--public-key checks a checkpoint's signature: give --checkpoint FILE too");
            }
            PrintWriter out = spec.commandLine().getOut();
            ObjectNode o = Output.object();
            o.put("log", log.display());
            List<Check> checks = new ArrayList<>();
            try (AuditLog copy = log.open()) {
                long size = copy.size();
                o.put("size", size);
                o.put("root", copy.root(size).hex());
                Optional<FileAuditLog.TailRepair> torn = copy instanceof FileAuditLog f ? f.tailRepair() : Optional.empty();
                torn.ifPresentOrElse(t -> {
                    o.putObject("tornTail").put("segment", t.segment().getFileName().toString()).put("offset", t.offset())
                            .put("bytes", t.bytes()).put("reason", t.reason());
                    spec.commandLine().getErr().println("warning: torn tail left unread: " + t.segment().getFileName()
                            + " from byte " + t.offset() + " (" + t.bytes() + " bytes): " + t.reason());
                }, () -> o.putNull("tornTail"));
                AuditVerification v = copy.verify();
                checks.add(new Check("records", v.ok(), v.ok()
                        ? v.checked() + " records: every " + (copy instanceof FileAuditLog ? "frame" : "row")
                                + ", leaf and node verified"
                        : "record " + v.firstBad().orElse(-1) + ": " + v.problem()));
                if (kept.isPresent()) {
                    Checkpoint c = kept.get();
                    signature("checkpoint", c, publicKey, key.publicKey).ifPresent(checks::add);
                    if (c.size() > size) {
                        checks.add(new Check("checkpoint root", false, "the checkpoint vouches for " + c.size()
                                + " records, the log holds " + size));
                    } else {
                        boolean same = copy.root(c.size()).equals(c.root());
                        checks.add(new Check("checkpoint root", same, same
                                ? "the log's root at size " + c.size() + " equals the checkpoint's"
                                : "the log's root at size " + c.size() + " is " + copy.root(c.size()).hex()
                                        + ", the checkpoint's is " + c.root().hex()));
                    }
                }
            } catch (IntegrityException | InvalidFormatException e) {
                checks.add(new Check("open", false, Mlops.message(e)));
            }
            if (!json.json) {
                out.println("audit log " + log.display() + (o.has("size") ? ": " + o.get("size").asLong() + " records, root "
                        + o.get("root").asText() : ""));
            }
            printChecks(out, json.json, o, checks);
            return checks.stream().allMatch(Check::ok) ? Mlops.OK : Mlops.CHECK_FAILED;
        }
    }

    /** {@code mlops audit checkpoint}. */
    @Command(name = "checkpoint", description = {"Print the log's checkpoint: origin, size, root and time.",
        "With --sign-key, signed with Ed25519: keep it elsewhere, and verify a copy of the log against it later"
                + " with audit verify --checkpoint."})
    static final class TakeCheckpoint implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        LogOption log;
        @Option(names = "--sign-key", paramLabel = "FILE", description = "Ed25519 private key, PKCS#8 PEM.")
        Path signKey;
        @Option(names = "--origin", paramLabel = "NAME", description = "The log's name in the checkpoint"
                + " (default: " + FileAuditLog.DEFAULT_ORIGIN + ").")
        String origin;
        @Option(names = "--out", paramLabel = "FILE", description = "Write the checkpoint to FILE, not stdout.")
        Path outFile;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            String name = origin != null ? origin : FileAuditLog.DEFAULT_ORIGIN;
            Optional<PrivateKey> key = Optional.ofNullable(signKey).map(Keys::readPrivate);
            Checkpoint c;
            try (AuditLog l = log.open(key, name)) {
                c = l.checkpoint();
            }
            PrintWriter out = spec.commandLine().getOut();
            if (outFile != null) {
                try {
                    Files.writeString(outFile, CheckpointFile.text(c), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw CliException.usage("checkpoint file " + outFile + ": cannot be written: " + e, e);
                }
            }
            if (json.json) {
                Output.print(out, checkpointJson(c));
            } else if (outFile != null) {
                out.println("wrote the checkpoint of " + c.size() + " records" + (c.signature().isPresent()
                        ? ", signed," : "") + " to " + outFile);
            } else {
                out.print(CheckpointFile.text(c));
            }
            return Mlops.OK;
        }
    }

    /** {@code mlops audit prove}: inclusion or consistency proofs. */
    @Command(name = "prove", description = {"Prove that a record is in the log, or that the log only grew.",
        "--index I: record I's inclusion proof in the tree of --checkpoint (default: the log now).",
        "--from FILE or --from-size N: the consistency proof from that earlier tree to --checkpoint (default:"
                + " the log now).",
        "The proof is printed with the hashes it needs, verified with RFC 9162's algorithms; exits 1 when it"
                + " does not verify."})
    static final class Prove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        LogOption log;

        @ArgGroup(exclusive = true, multiplicity = "1")
        What what;

        static final class What {
            @Option(names = "--index", paramLabel = "I", description = "Prove record I is in the tree.")
            Long index;
            @Option(names = "--from", paramLabel = "FILE", description = "Prove the tree of this earlier checkpoint"
                    + " is a prefix of the later one.")
            Path from;
            @Option(names = "--from-size", paramLabel = "N", description = "Prove the log's first N records are a"
                    + " prefix of the later tree.")
            Long fromSize;
        }

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "The tree to prove against; default: the"
                + " log's size and root now.")
        Path checkpoint;
        @Mixin
        KeyOption key;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Optional<PublicKey> publicKey = key.key();
            Optional<Checkpoint> against = Optional.ofNullable(checkpoint).map(CheckpointFile::read);
            Optional<Checkpoint> from = Optional.ofNullable(what.from).map(CheckpointFile::read);
            if (publicKey.isPresent() && against.isEmpty() && from.isEmpty()) {
                throw CliException.usage("--public-key checks a checkpoint's signature: give --checkpoint or --from");
            }
            PrintWriter out = spec.commandLine().getOut();
            ObjectNode o = Output.object();
            List<Check> checks = new ArrayList<>();
            against.flatMap(c -> signature("checkpoint", c, publicKey, key.publicKey)).ifPresent(checks::add);
            from.flatMap(c -> signature("earlier checkpoint", c, publicKey, key.publicKey)).ifPresent(checks::add);
            try (AuditLog l = log.open()) {
                long size = against.map(Checkpoint::size).orElse(l.size());
                if (size > l.size()) {
                    throw CliException.usage("checkpoint " + checkpoint + " vouches for " + size + " records, the log "
                            + log.display() + " holds " + l.size());
                }
                Sha256 root = against.map(Checkpoint::root).orElseGet(() -> l.root(size));
                o.put("size", size);
                o.put("root", root.hex());
                if (what.index != null) {
                    proveInclusion(l, what.index, size, root, o, checks);
                } else {
                    long oldSize = from.map(Checkpoint::size).orElseGet(() -> what.fromSize);
                    if (oldSize < 1 || oldSize > size) {
                        throw CliException.usage("the earlier size must be in [1, " + size + "], was " + oldSize);
                    }
                    Sha256 oldRoot = from.map(Checkpoint::root).orElseGet(() -> l.root(oldSize));
                    List<Sha256> proof = l.consistencyProof(oldSize, size);
                    o.put("fromSize", oldSize);
                    o.put("fromRoot", oldRoot.hex());
                    putProof(o, proof);
                    boolean ok = MerkleTree.verifyConsistency(oldSize, size, oldRoot, root, proof);
                    checks.add(new Check("consistency", ok, ok
                            ? "the tree of " + oldSize + " records is a prefix of the tree of " + size
                            : "the tree of " + oldSize + " records with root " + oldRoot.hex()
                                    + " is not a prefix of the tree of " + size + " with root " + root.hex()));
                }
            }
            if (!json.json) {
                printProofText(out, o);
            }
            printChecks(out, json.json, o, checks);
            return checks.stream().allMatch(Check::ok) ? Mlops.OK : Mlops.CHECK_FAILED;
        }

        private void proveInclusion(AuditLog l, long index, long size, Sha256 root, ObjectNode o, List<Check> checks) {
            if (index < 0 || index >= size) {
                throw CliException.usage("--index must be in [0, " + (size - 1) + "] for a tree of " + size
                        + " records, was " + index);
            }
            AuditRecord r = l.get(index);
            Sha256 leaf = MerkleTree.leafHash(r.canonicalBytes());
            List<Sha256> proof = l.inclusionProof(index, size);
            ObjectNode rec = o.putObject("record");
            rec.put("index", r.index());
            rec.put("at", r.at().toString());
            rec.put("actor", r.event().actor());
            rec.put("action", r.event().action());
            rec.put("target", r.event().target());
            rec.put("outcome", r.event().outcome().name());
            ObjectNode details = rec.putObject("details");
            r.event().details().forEach(details::put);
            o.put("leafHash", leaf.hex());
            putProof(o, proof);
            boolean ok = MerkleTree.verifyInclusion(leaf, index, size, proof, root);
            checks.add(new Check("inclusion", ok, ok
                    ? "record " + index + " is in the tree of " + size + " records"
                    : "record " + index + " as the log holds it is not in the tree of " + size + " records with root "
                            + root.hex()));
        }

        private static void putProof(ObjectNode o, List<Sha256> proof) {
            ArrayNode a = o.putArray("proof");
            proof.forEach(h -> a.add(h.hex()));
        }

        private static void printProofText(PrintWriter out, ObjectNode o) {
            if (o.has("record")) {
                ObjectNode r = (ObjectNode) o.get("record");
                out.println("record  " + r.get("index").asLong() + ": " + r.get("at").asText() + " "
                        + r.get("actor").asText() + " " + r.get("action").asText() + " " + r.get("target").asText() + " "
                        + r.get("outcome").asText());
                out.println("leaf    " + o.get("leafHash").asText());
            } else {
                out.println("from    size " + o.get("fromSize").asLong() + ", root " + o.get("fromRoot").asText());
            }
            out.println("tree    size " + o.get("size").asLong() + ", root " + o.get("root").asText());
            out.println("proof   " + o.get("proof").size() + " hashes");
            o.get("proof").forEach(h -> out.println("        " + h.asText()));
        }
    }

    /** {@code mlops audit keygen}. */
    @Command(name = "keygen", description = {"Write a new Ed25519 key pair for signing checkpoints.",
        "The private key as PKCS#8 PEM (owner-only permissions where the file system has them), the public key as"
                + " X.509 PEM. Existing files are never overwritten."})
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--private-key", paramLabel = "FILE", required = true, description = "Where the private key goes.")
        Path privateKey;
        @Option(names = "--public-key", paramLabel = "FILE", required = true, description = "Where the public key goes.")
        Path publicKey;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            for (Path p : List.of(privateKey, publicKey)) {
                if (Files.exists(p)) {
                    throw CliException.usage("key file " + p + ": already exists; not overwritten");
                }
            }
            KeyPair pair;
            try {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every Java 15+ platform provides Ed25519", e);
            }
            write(privateKey, Keys.pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            write(publicKey, Keys.pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
            PrintWriter out = spec.commandLine().getOut();
            if (json.json) {
                Output.print(out, Output.object().put("privateKey", privateKey.toString())
                        .put("publicKey", publicKey.toString()));
            } else {
                out.println("wrote private key " + privateKey + " and public key " + publicKey);
            }
            return Mlops.OK;
        }

        private static void write(Path file, String text, boolean secret) {
            try {
                if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
                } else {
                    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE);
                }
            } catch (FileAlreadyExistsException e) {
                throw CliException.usage("key file " + file + ": already exists; not overwritten");
            } catch (IOException e) {
                throw CliException.usage("key file " + file + ": cannot be written: " + e, e);
            }
        }
    }
}
