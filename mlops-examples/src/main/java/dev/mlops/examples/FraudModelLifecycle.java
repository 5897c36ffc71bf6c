package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Signature;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The main example: train a fraud model in plain Java, register two versions with lineage, parameters,
 * metrics and a signature, make the better one {@code champion} with compare-and-set, and read the
 * champion back with its digest verified, scoring the hold-out set with what was read.
 *
 * <p>Run it with {@code mvn -B -q -pl mlops-examples -am compile exec:java}.
 */
public final class FraudModelLifecycle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "fraud-scorer";

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
     * continues from them.
     *
     * @param args the registry directory; {@code target/mlops-registry} when none is given
     * @throws IOException when the directory cannot be created
     */
    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("target", "mlops-registry");
        Files.createDirectories(dir);
        System.out.printf("registry at %s%n", dir.toAbsolutePath());
        try (ModelStore store = FileSystemModelStore.open(dir)) {
            run(store, System.out);
        }
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
                    ChangeNote.by("example").because("first model"));
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
                    ChangeNote.by("example").because(String.format(Locale.ROOT, "auc %.4f > %.4f", aucSecond, aucCurrent)));
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
                .createdBy("example")
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
