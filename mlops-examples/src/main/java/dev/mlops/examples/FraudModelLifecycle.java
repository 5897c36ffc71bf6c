package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.AccessDeniedException;
import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.security.AccessControlledModelStore;
import dev.mlops.core.security.AccessPolicy;
import dev.mlops.core.security.KeyProvider;
import dev.mlops.core.security.Permission;
import dev.mlops.core.security.Principal;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.jdbc.PostgresAuditLog;
import dev.mlops.registry.jdbc.PostgresModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The main example: train a fraud model in plain Java, register two versions with lineage, parameters,
 * metrics and a signature, make the better one {@code champion} with compare-and-set, and read the
 * champion back with its digest verified, scoring the hold-out set with what was read.
 *
 * <p>{@link #main} does it on a secured registry: a {@link FileSystemModelStore} that encrypts artifacts
 * (AES-256-GCM), wrapped so that every change is recorded in a {@link FileAuditLog} and every call is
 * checked against an {@link AccessPolicy}; then an analyst's attempt to move the champion is denied,
 * and the audit log's signed checkpoint is printed and the log verified. Given {@code --postgres} and a
 * JDBC URL, it does the same on a {@link PostgresModelStore} and a {@link PostgresAuditLog} in that
 * database.
 *
 * <p>Run it with {@code mvn -B -q -pl mlops-examples -am compile exec:java}, or on PostgreSQL with
 * {@code MLOPS_PG_USER=... MLOPS_PG_PASSWORD=... mvn ... exec:java -Dexec.args="--postgres jdbc:postgresql://host/db"}.
 */
public final class FraudModelLifecycle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "fraud-scorer";
    private static final String AUDIT_ORIGIN = "example.mlops.dev/fraud-team/audit";
    /** Where the PostgreSQL option keeps the registry's and the audit log's tables. */
    static final String SCHEMA = "mlops_example";
    /** The environment variable with the PostgreSQL user, for the PostgreSQL option. */
    static final String USER_VARIABLE = "MLOPS_PG_USER";
    /** The environment variable with the PostgreSQL password, for the PostgreSQL option. */
    static final String PASSWORD_VARIABLE = "MLOPS_PG_PASSWORD";

    private FraudModelLifecycle() {
    }

    /**
     * What the example did, for its test.
     *
     * @param first the first registered version
     * @param second the second registered version
     * @param champion the champion as read back
     * @param championAuc the AUC recomputed from the artifact read back
     */
    record Outcome(ModelVersion first, ModelVersion second, ModelVersion champion, double championAuc) {
    }

    /**
     * Runs the example on a filesystem registry, so that a second run finds the first run's versions and
     * continues from them; or, given {@code --postgres <jdbc URL>}, on a PostgreSQL registry and audit log
     * in schema {@value #SCHEMA} of that database.
     *
     * @param args the registry directory ({@code target/mlops-registry} when none is given), or
     *     {@code --postgres} and a URL such as {@code jdbc:postgresql://db.example:5432/registry}; the user
     *     and password come from the environment variables {@value #USER_VARIABLE} and
     *     {@value #PASSWORD_VARIABLE} when set, and are never printed
     * @throws IOException when the directory cannot be created
     */
    public static void main(String[] args) throws IOException, GeneralSecurityException {
        main(args, System.getenv());
    }

    /** {@link #main(String[])} with the environment given, for the test. */
    static void main(String[] args, Map<String, String> env) throws IOException, GeneralSecurityException {
        PrintStream out = System.out;
        KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair(); // a service keeps its own
        if (args.length > 0 && args[0].equals("--postgres")) {
            if (args.length != 2) {
                throw new IllegalArgumentException("usage: --postgres jdbc:postgresql://host:5432/database"
                        + " (user and password from " + USER_VARIABLE + " and " + PASSWORD_VARIABLE + ")");
            }
            PGSimpleDataSource db = new PGSimpleDataSource();
            db.setUrl(args[1]);
            Optional.ofNullable(env.get(USER_VARIABLE)).ifPresent(db::setUser);
            Optional.ofNullable(env.get(PASSWORD_VARIABLE)).ifPresent(db::setPassword);
            out.printf("registry and audit log in PostgreSQL at %s, schema %s (artifacts unencrypted: the"
                    + " database's own encryption at rest applies)%n", withoutCredentials(args[1]), SCHEMA);
            try (PostgresAuditLog log = PostgresAuditLog.builder(db).schema(SCHEMA)
                    .signer(signing.getPrivate(), AUDIT_ORIGIN).build();
                    ModelStore store = PostgresModelStore.builder(db).schema(SCHEMA).build()) {
                secured(store, log, signing, out);
            }
            return;
        }
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("target", "mlops-registry");
        Path auditDir = dir.resolveSibling(dir.getFileName() + "-audit");
        Path keyDir = dir.resolveSibling(dir.getFileName() + "-keys");
        Files.createDirectories(dir);
        out.printf("registry at %s, audit log at %s%n", dir.toAbsolutePath(), auditDir.toAbsolutePath());

        KeyProvider keys = KeyProvider.of("example-1", Map.of("example-1", exampleKey(keyDir.resolve("example-1.aes"))));
        try (FileAuditLog log = FileAuditLog.builder(auditDir).signer(signing.getPrivate(), AUDIT_ORIGIN).build();
                ModelStore files = FileSystemModelStore.builder(dir).encryption(keys).build()) {
            secured(files, log, signing, out);
        }
    }

    /**
     * The example on a secured registry: every change recorded in the audit log, every call checked
     * against the access policy; the analyst's move of the champion is denied; the log's signed
     * checkpoint is printed and the log verified.
     */
    private static void secured(ModelStore store, AuditLog log, KeyPair signing, PrintStream out) {
        AccessPolicy policy = AccessPolicy.builder()
                .grantRole("ml-engineer", Permission.EDIT, MODEL)
                .grantRole("analyst", Permission.READ, MODEL)
                .build();
        AccessControlledModelStore guarded = new AccessControlledModelStore(new AuditingModelStore(store, log),
                policy, log, () -> Principal.of("anonymous"));
        run(guarded.asUser(Principal.of("ci-pipeline", "ml-engineer")), out);

        ModelStore analyst = guarded.asUser(Principal.of("dana", "analyst"));
        ModelVersion champion = analyst.get(ModelRef.alias(MODEL, "champion"));
        try {
            analyst.setAlias(MODEL, "champion", 1, AliasExpect.current(champion.version()),
                    ChangeNote.by("dana").because("I liked v1"));
            throw new IllegalStateException("the analyst moved the champion");
        } catch (AccessDeniedException e) {
            out.printf("denied: %s%n", e.getMessage());
        }

        Checkpoint checkpoint = log.checkpoint();
        out.printf("audit checkpoint, signed with Ed25519 (public key %s):%n%s%s%n",
                Base64.getEncoder().encodeToString(signing.getPublic().getEncoded()), checkpoint.body(),
                checkpoint.signature().orElseThrow());
        out.printf("checkpoint signature verifies: %s%n", checkpoint.verify(signing.getPublic()));
        AuditVerification verification = log.verify();
        out.printf("audit log verified: %s, %d records (%d denied)%n", verification.ok() ? "ok" : verification.problem(),
                verification.checked(), log.query(AuditQuery.builder().outcome(AuditEvent.Outcome.DENIED).build()).size());
    }

    /**
     * @return the URL without what may carry a secret: its parameters ({@code ?user=...&password=...}) and
     *     any user-info before the host
     */
    static String withoutCredentials(String url) {
        return url.replaceFirst("[?;].*$", "").replaceFirst("//[^/]*@", "//");
    }

    /**
     * The example's AES-256 key, made once and kept beside the registry so that later runs read what
     * earlier ones wrote. A real service takes its keys from a key management service, never a file.
     */
    private static SecretKey exampleKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path temp = Files.createTempFile(file.getParent(), "key-", ".tmp"); // private to its owner (0600)
            Files.write(temp, key);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != 32) {
            throw new IOException(file + " does not hold a 32-byte key");
        }
        return new SecretKeySpec(key, "AES");
    }

    static Outcome run(ModelStore store, PrintStream out) {
        Transactions all = Transactions.generate(6_000, 2026);
        Transactions train = all.rows(0, 4_000);
        Transactions holdout = all.rows(4_000, 6_000);
        byte[] trainCsv = train.csv();
        Sha256 dataDigest = Sha256.of(trainCsv);
        URI data = URI.create("file:transactions-train.csv");
        out.printf("training data: %d rows, %d fraud, sha256 %s%n", train.size(), Arrays.stream(train.y).sum(),
                dataDigest.hex().substring(0, 16));

        Optional<ModelVersion> earlier = store.find(ModelRef.alias(MODEL, "champion"));
        ModelVersion first = trainAndRegister(store, out, train, holdout, 2, earlier.map(ModelVersion::ref), data,
                dataDigest);
        if (earlier.isEmpty()) {
            store.setAlias(MODEL, "champion", first.version(), AliasExpect.absent(),
                    ChangeNote.by("ci-pipeline").because("first model"));
            out.printf("champion -> v%d%n", first.version());
        } else {
            out.printf("champion stays v%d from an earlier run%n", earlier.get().version());
        }

        ModelVersion second = trainAndRegister(store, out, train, holdout, 4, Optional.of(first.ref()), data, dataDigest);
        ModelVersion current = store.get(ModelRef.alias(MODEL, "champion"));
        double aucCurrent = current.metrics().get("auc");
        double aucSecond = second.metrics().get("auc");
        if (aucSecond > aucCurrent) {
            store.setAlias(MODEL, "champion", second.version(), AliasExpect.current(current.version()),
                    ChangeNote.by("ci-pipeline").because(String.format(Locale.ROOT, "auc %.4f > %.4f", aucSecond, aucCurrent)));
            out.printf("champion -> v%d (compare-and-set from v%d: auc %.4f > %.4f)%n", second.version(),
                    current.version(), aucSecond, aucCurrent);
        } else {
            out.printf("champion stays v%d: v%d's auc %.4f is not above %.4f%n", current.version(), second.version(),
                    aucSecond, aucCurrent);
        }

        ModelRef championRef = ModelRef.alias(MODEL, "champion");
        ModelVersion champion = store.get(championRef);
        byte[] artifact;
        try (InputStream in = store.open(champion.ref())) {
            artifact = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] weights = readWeights(artifact);
        int features = weights.length - 1;
        Transactions view = holdout.firstFeatures(features);
        double[] scores = new double[view.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = LogisticRegression.predict(weights, view.x[i]);
        }
        double auc = LogisticRegression.auc(scores, view.y);
        out.printf("read back %s = v%d: %d bytes, sha256 %s verified; hold-out auc %.4f (registered %.4f)%n",
                championRef, champion.version(), artifact.length, champion.digest().hex().substring(0, 16), auc,
                champion.metrics().get("auc"));

        Map<String, Object> request = new LinkedHashMap<>();
        request.put("log_amount", 4.2);
        request.put("night", 1.0);
        request.put("foreign", 0.0);
        request.put("account_years", 2.5);
        champion.signature().validate(request);
        out.printf("request %s fits the signature; fraud probability %.4f%n", request.keySet(),
                LogisticRegression.predict(weights, Arrays.copyOf(new double[] {4.2, 1.0, 0.0, 2.5}, features)));
        return new Outcome(first, second, champion, auc);
    }

    private static ModelVersion trainAndRegister(ModelStore store, PrintStream out, Transactions train,
            Transactions holdout, int features, Optional<ModelRef.ByVersion> parent, URI data, Sha256 dataDigest) {
        double l2 = 1.0;
        int iterations = 12;
        double[] weights = LogisticRegression.fit(train.firstFeatures(features).x, train.y, l2, iterations);
        Transactions view = holdout.firstFeatures(features);
        double[] scores = new double[view.size()];
        double logLoss = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = LogisticRegression.predict(weights, view.x[i]);
            double p = Math.min(Math.max(scores[i], 1e-12), 1 - 1e-12);
            logLoss -= view.y[i] == 1 ? Math.log(p) : Math.log(1 - p);
        }
        double auc = LogisticRegression.auc(scores, view.y);

        Lineage.Builder lineage = Lineage.builder().data(data, dataDigest, train.size()).runId("example-" + features + "f");
        gitRevision().ifPresent(rev -> lineage.codeRevision(rev.revision, rev.dirty));
        parent.ifPresent(lineage::parent);
        Field[] inputs = new Field[features];
        for (int i = 0; i < features; i++) {
            inputs[i] = Field.float64(Transactions.FEATURES[i]);
        }
        ModelVersion v = store.register(NewVersion.builder(MODEL)
                .artifact(writeWeights(Arrays.copyOf(Transactions.FEATURES, features), weights))
                .description("logistic regression on " + features + " features, IRLS")
                .param("features", String.valueOf(features))
                .param("l2", l2)
                .param("iterations", String.valueOf(iterations))
                .metric("auc", auc)
                .metric("logLoss", logLoss / scores.length)
                .tag("team", "risk")
                .createdBy("ci-pipeline")
                .lineage(lineage.build())
                .signature(Signature.of(inputs).returns(Field.float64("fraud_probability")))
                .build());
        out.printf("registered %s:%d  auc %.4f  %d bytes  sha256 %s  code %s%n", v.model(), v.version(), auc, v.size(),
                v.digest().hex().substring(0, 16),
                v.lineage().codeRevision().map(r -> r + (v.lineage().dirty() ? " (dirty)" : "")).orElse("unknown"));
        return v;
    }

    private static byte[] writeWeights(String[] features, double[] weights) {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", "example.logistic-regression");
        node.put("version", 1);
        node.putPOJO("features", features);
        node.putPOJO("weights", weights);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] readWeights(byte[] artifact) {
        try {
            JsonNode node = JSON.readTree(artifact);
            JsonNode w = node.get("weights");
            double[] weights = new double[w.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = w.get(i).asDouble();
            }
            return weights;
        } catch (IOException e) {
            throw new UncheckedIOException("champion artifact is not the example's JSON: "
                    + new String(artifact, 0, Math.min(artifact.length, 80), StandardCharsets.UTF_8), e);
        }
    }

    private record GitRevision(String revision, boolean dirty) {
    }

    private static Optional<GitRevision> gitRevision() {
        Optional<String> head = git("rev-parse", "--short=12", "HEAD");
        return head.map(rev -> new GitRevision(rev, git("status", "--porcelain").map(s -> !s.isBlank()).orElse(false)));
    }

    private static Optional<String> git(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(output);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
