package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.DataSource;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.Tombstone;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The registry's values as JSON objects (stable field names, documented in the README) and as text.
 */
final class Values {
    private Values() {
    }

    /**
     * @param v a version
     * @param aliases the aliases pointing at it
     * @return its JSON form
     */
    static ObjectNode version(ModelVersion v, List<String> aliases) {
        ObjectNode o = Output.object();
        o.put("ref", v.ref().toString());
        o.put("model", v.model());
        o.put("version", v.version());
        o.put("sha256", v.digest().hex());
        o.put("size", v.size());
        o.put("createdAt", v.createdAt().toString());
        o.put("createdBy", v.createdBy());
        o.put("description", v.description());
        ArrayNode a = o.putArray("aliases");
        aliases.forEach(a::add);
        putStrings(o.putObject("tags"), v.tags());
        putStrings(o.putObject("params"), v.params());
        ObjectNode metrics = o.putObject("metrics");
        v.metrics().forEach(metrics::put);
        o.set("lineage", lineage(v.lineage()));
        ObjectNode sig = o.putObject("signature");
        sig.set("inputs", fields(v.signature().inputs()));
        sig.set("outputs", fields(v.signature().outputs()));
        o.put("revision", v.revision());
        return o;
    }

    private static ObjectNode lineage(Lineage l) {
        ObjectNode o = Output.object();
        if (l.codeRevision().isPresent()) {
            o.put("codeRevision", l.codeRevision().get());
        } else {
            o.putNull("codeRevision");
        }
        o.put("dirty", l.dirty());
        ArrayNode data = o.putArray("data");
        for (DataSource d : l.data()) {
            ObjectNode n = data.addObject();
            n.put("uri", d.uri().toString());
            if (d.sha256().isPresent()) {
                n.put("sha256", d.sha256().get().hex());
            } else {
                n.putNull("sha256");
            }
            if (d.rows().isPresent()) {
                n.put("rows", d.rows().getAsLong());
            } else {
                n.putNull("rows");
            }
        }
        ArrayNode parents = o.putArray("parents");
        l.parents().forEach(p -> parents.add(p.toString()));
        if (l.runId().isPresent()) {
            o.put("runId", l.runId().get());
        } else {
            o.putNull("runId");
        }
        ObjectNode env = o.putObject("environment");
        env.put("java", l.environment().java());
        env.put("os", l.environment().os());
        env.put("library", l.environment().library());
        putStrings(env.putObject("extra"), l.environment().extra());
        return o;
    }

    private static ArrayNode fields(List<Field> fields) {
        ArrayNode a = Output.array();
        for (Field f : fields) {
            ObjectNode n = a.addObject();
            n.put("name", f.name());
            n.put("type", f.type().name().toLowerCase(Locale.ROOT));
            ArrayNode shape = n.putArray("shape");
            f.shape().forEach(shape::add);
            n.put("nullable", f.nullable());
        }
        return a;
    }

    /**
     * @param s a model at a glance
     * @return its JSON form
     */
    static ObjectNode summary(ModelSummary s) {
        ObjectNode o = Output.object();
        o.put("model", s.model());
        putLong(o, "latest", s.latest());
        o.put("liveVersions", s.liveVersions());
        o.put("highestAssigned", s.highestAssigned());
        ObjectNode aliases = o.putObject("aliases");
        s.aliases().forEach(aliases::put);
        o.put("description", s.description());
        putStrings(o.putObject("tags"), s.tags());
        o.put("createdAt", s.createdAt().toString());
        o.put("updatedAt", s.updatedAt().toString());
        o.put("revision", s.revision());
        return o;
    }

    /**
     * @param m an alias move
     * @return its JSON form
     */
    static ObjectNode move(AliasMove m) {
        ObjectNode o = Output.object();
        o.put("model", m.model());
        o.put("alias", m.alias());
        o.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
        putLong(o, "from", m.from());
        putLong(o, "to", m.to());
        o.put("at", m.at().toString());
        o.put("actor", m.actor());
        o.put("reason", m.reason());
        return o;
    }

    /**
     * @param t a deleted version's tombstone
     * @return its JSON form
     */
    static ObjectNode tombstone(Tombstone t) {
        ObjectNode o = Output.object();
        o.put("ref", ModelRef.of(t.model(), t.version()).toString());
        o.put("model", t.model());
        o.put("version", t.version());
        o.put("sha256", t.digest().hex());
        o.put("deletedAt", t.deletedAt().toString());
        o.put("actor", t.actor());
        o.put("reason", t.reason());
        return o;
    }

    /** @return one line: {@code champion 6 -> 7 (set by alice: why)} */
    static String moveLine(AliasMove m) {
        return m.model() + "@" + m.alias() + " " + target(m.from()) + " -> " + target(m.to()) + " ("
                + m.kind().name().toLowerCase(Locale.ROOT) + " by " + m.actor()
                + (m.reason().isEmpty() ? "" : ": " + m.reason()) + ")";
    }

    /** @return the version, or {@code none} */
    static String target(OptionalLong v) {
        return v.isPresent() ? Long.toString(v.getAsLong()) : "none";
    }

    /** @return {@code k=v, k=v} in the map's order */
    static String pairs(Map<String, ?> map) {
        return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** @return the signature as {@code amount: float64, country: category -> score: float64} */
    static String signature(Signature s) {
        if (s.isEmpty()) {
            return "";
        }
        return fieldList(s.inputs()) + " -> " + fieldList(s.outputs());
    }

    private static String fieldList(List<Field> fields) {
        return fields.stream().map(f -> f.name() + ": " + f.type().name().toLowerCase(Locale.ROOT)
                + (f.shape().isEmpty() ? "" : f.shape().toString()) + (f.nullable() ? "?" : ""))
                .collect(Collectors.joining(", "));
    }

    /** @return the lineage in one line */
    static String lineageLine(Lineage l) {
        StringBuilder b = new StringBuilder();
        l.codeRevision().ifPresent(c -> b.append("code ").append(c).append(l.dirty() ? " (dirty)" : ""));
        for (DataSource d : l.data()) {
            b.append(b.length() == 0 ? "" : "; ").append("data ").append(d.uri());
            d.rows().ifPresent(r -> b.append(", ").append(r).append(" rows"));
            d.sha256().ifPresent(h -> b.append(", sha256 ").append(h.hex(), 0, 12));
        }
        if (!l.parents().isEmpty()) {
            b.append(b.length() == 0 ? "" : "; ").append("parents ")
                    .append(l.parents().stream().map(ModelRef::toString).collect(Collectors.joining(", ")));
        }
        l.runId().ifPresent(r -> b.append(b.length() == 0 ? "" : "; ").append("run ").append(r));
        return b.toString();
    }

    private static void putStrings(ObjectNode o, Map<String, String> map) {
        map.forEach(o::put);
    }

    private static void putLong(ObjectNode o, String name, OptionalLong v) {
        if (v.isPresent()) {
            o.put(name, v.getAsLong());
        } else {
            o.putNull(name);
        }
    }
}
