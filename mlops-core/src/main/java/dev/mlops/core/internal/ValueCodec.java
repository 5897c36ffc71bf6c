package dev.mlops.core.internal;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.DataSource;
import dev.mlops.core.registry.Environment;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.FieldType;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.Tombstone;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The JSON forms of the registry's value types inside the store's files: a manifest (a
 * {@link ModelVersion}), its lineage and signature, an alias move, a tombstone, a change note and a
 * model summary. Written with {@link StrictJsonWriter}, read with {@link StrictJsonReader}: unknown
 * fields are rejected, optional parts are left out when absent (never {@code null}), times are ISO-8601
 * instants with their full precision, and every value passes its record's own validation, whose message
 * comes back with the field's path.
 */
final class ValueCodec {
    /** Most elements in any list of a manifest (data sources, parents, fields, shape, tombstones). */
    static final int MAX_LIST = 1_000_000;

    private ValueCodec() {
    }

    // ---- writing ----------------------------------------------------------------------------------------

    static void writeManifest(StrictJsonWriter g, ModelVersion v) {
        g.writeStartObject();
        g.writeStringField("model", v.model());
        g.writeNumberField("version", v.version());
        g.writeStringField("sha256", v.digest().hex());
        g.writeNumberField("size", v.size());
        g.writeStringField("createdAt", v.createdAt().toString());
        g.writeStringField("createdBy", v.createdBy());
        g.writeStringField("description", v.description());
        writeStringMap(g, "tags", v.tags());
        writeStringMap(g, "params", v.params());
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<String, Double> m : v.metrics().entrySet()) {
            g.writeNumberField(m.getKey(), m.getValue());
        }
        g.writeEndObject();
        g.writeFieldName("lineage");
        writeLineage(g, v.lineage());
        g.writeFieldName("signature");
        writeSignature(g, v.signature());
        g.writeNumberField("revision", v.revision());
        g.writeEndObject();
    }

    static void writeStringMap(StrictJsonWriter g, String name, Map<String, String> map) {
        g.writeObjectFieldStart(name);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeLineage(StrictJsonWriter g, Lineage l) {
        g.writeStartObject();
        if (l.codeRevision().isPresent()) {
            g.writeStringField("codeRevision", l.codeRevision().get());
            g.writeBooleanField("dirty", l.dirty());
        }
        g.writeArrayFieldStart("data");
        for (DataSource d : l.data()) {
            g.writeStartObject();
            g.writeStringField("uri", d.uri().toString());
            if (d.sha256().isPresent()) {
                g.writeStringField("sha256", d.sha256().get().hex());
            }
            if (d.rows().isPresent()) {
                g.writeNumberField("rows", d.rows().getAsLong());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("parents");
        for (ModelRef.ByVersion p : l.parents()) {
            g.writeStartObject();
            g.writeStringField("model", p.model());
            g.writeNumberField("version", p.version());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (l.runId().isPresent()) {
            g.writeStringField("runId", l.runId().get());
        }
        Environment e = l.environment();
        g.writeObjectFieldStart("environment");
        g.writeStringField("java", e.java());
        g.writeStringField("os", e.os());
        g.writeStringField("library", e.library());
        writeStringMap(g, "extra", e.extra());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeSignature(StrictJsonWriter g, Signature s) {
        g.writeStartObject();
        writeFields(g, "inputs", s.inputs());
        writeFields(g, "outputs", s.outputs());
        g.writeEndObject();
    }

    private static void writeFields(StrictJsonWriter g, String name, List<Field> fields) {
        g.writeArrayFieldStart(name);
        for (Field f : fields) {
            g.writeStartObject();
            g.writeStringField("name", f.name());
            g.writeStringField("type", f.type().name().toLowerCase(Locale.ROOT));
            g.writeArrayFieldStart("shape");
            for (int d : f.shape()) {
                g.writeNumber(d);
            }
            g.writeEndArray();
            g.writeBooleanField("nullable", f.nullable());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void writeAliasMove(StrictJsonWriter g, AliasMove m) {
        g.writeStartObject();
        g.writeStringField("model", m.model());
        g.writeStringField("alias", m.alias());
        g.writeStringField("kind", m.kind().name().toLowerCase(Locale.ROOT));
        if (m.from().isPresent()) {
            g.writeNumberField("from", m.from().getAsLong());
        }
        if (m.to().isPresent()) {
            g.writeNumberField("to", m.to().getAsLong());
        }
        g.writeStringField("at", m.at().toString());
        g.writeStringField("actor", m.actor());
        g.writeStringField("reason", m.reason());
        g.writeEndObject();
    }

    static void writeTombstone(StrictJsonWriter g, Tombstone t) {
        g.writeStartObject();
        g.writeStringField("model", t.model());
        g.writeNumberField("version", t.version());
        g.writeStringField("sha256", t.digest().hex());
        g.writeStringField("deletedAt", t.deletedAt().toString());
        g.writeStringField("actor", t.actor());
        g.writeStringField("reason", t.reason());
        g.writeEndObject();
    }

    static void writeTombstones(StrictJsonWriter g, String name, List<Tombstone> tombstones) {
        g.writeArrayFieldStart(name);
        for (Tombstone t : tombstones) {
            writeTombstone(g, t);
        }
        g.writeEndArray();
    }

    static void writeNote(StrictJsonWriter g, String name, ChangeNote n) {
        g.writeObjectFieldStart(name);
        g.writeStringField("actor", n.actor());
        g.writeStringField("reason", n.reason());
        g.writeEndObject();
    }

    static void writeSummary(StrictJsonWriter g, ModelSummary s) {
        g.writeStartObject();
        g.writeStringField("model", s.model());
        if (s.latest().isPresent()) {
            g.writeNumberField("latest", s.latest().getAsLong());
        }
        g.writeNumberField("liveVersions", s.liveVersions());
        g.writeNumberField("highestAssigned", s.highestAssigned());
        g.writeObjectFieldStart("aliases");
        for (Map.Entry<String, Long> a : s.aliases().entrySet()) {
            g.writeNumberField(a.getKey(), a.getValue());
        }
        g.writeEndObject();
        g.writeStringField("description", s.description());
        writeStringMap(g, "tags", s.tags());
        g.writeStringField("createdAt", s.createdAt().toString());
        g.writeStringField("updatedAt", s.updatedAt().toString());
        g.writeNumberField("revision", s.revision());
        g.writeEndObject();
    }

    // ---- reading ----------------------------------------------------------------------------------------

    /** Fields seen in one object, so that a missing one is named. */
    static final class Seen {
        private final Set<String> names = new HashSet<>();

        void add(String name) {
            names.add(name);
        }

        boolean has(String name) {
            return names.contains(name);
        }

        void require(StrictJsonReader r, String... required) {
            for (String name : required) {
                if (!names.contains(name)) {
                    throw r.missing(name);
                }
            }
        }
    }

    /**
     * Builds a value from what was read, turning its record's validation error into a format error at
     * the reader's current path.
     */
    static <T> T valid(StrictJsonReader r, Supplier<T> make) {
        try {
            return make.get();
        } catch (InvalidFormatException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw r.fail(String.valueOf(e.getMessage()));
        }
    }

    static String text(StrictJsonReader r) {
        return r.string(StrictJsonReader.MAX_STRING_LENGTH);
    }

    static Instant instant(StrictJsonReader r) {
        String s = r.string(64);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw r.fail("expected an ISO-8601 instant such as 2026-03-01T12:00:00Z");
        }
    }

    static Sha256 digest(StrictJsonReader r) {
        String s = r.string(64);
        return valid(r, () -> new Sha256(s));
    }

    static long positive(StrictJsonReader r) {
        return r.longValue(1, Long.MAX_VALUE);
    }

    static Map<String, String> stringMap(StrictJsonReader r) {
        r.beginObject();
        Map<String, String> out = new TreeMap<>();
        while (r.nextField()) {
            String key = r.field();
            out.put(key, text(r));
        }
        return out;
    }

    static ModelVersion readManifest(StrictJsonReader r) {
        r.beginObject();
        return readManifestFields(r);
    }

    /** Reads a manifest's fields, the reader on the object's start (an array element, after {@code nextElement}). */
    static ModelVersion readManifestFields(StrictJsonReader r) {
        Seen seen = new Seen();
        String model = null;
        long version = 0;
        Sha256 digest = null;
        long size = 0;
        Instant createdAt = null;
        String createdBy = null;
        String description = null;
        Map<String, String> tags = null;
        Map<String, String> params = null;
        Map<String, Double> metrics = null;
        Lineage lineage = null;
        Signature signature = null;
        long revision = 0;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "model" -> model = text(r);
                case "version" -> version = positive(r);
                case "sha256" -> digest = digest(r);
                case "size" -> size = r.longValue(0, Long.MAX_VALUE);
                case "createdAt" -> createdAt = instant(r);
                case "createdBy" -> createdBy = text(r);
                case "description" -> description = text(r);
                case "tags" -> tags = stringMap(r);
                case "params" -> params = stringMap(r);
                case "metrics" -> {
                    r.beginObject();
                    metrics = new TreeMap<>();
                    while (r.nextField()) {
                        String key = r.field();
                        metrics.put(key, r.finiteDouble());
                    }
                }
                case "lineage" -> lineage = readLineage(r);
                case "signature" -> signature = readSignature(r);
                case "revision" -> revision = positive(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "model", "version", "sha256", "size", "createdAt", "createdBy", "description", "tags",
                "params", "metrics", "lineage", "signature", "revision");
        String m = model;
        long n = version;
        Sha256 d = digest;
        long s = size;
        Instant at = createdAt;
        String by = createdBy;
        String desc = description;
        Map<String, String> t = tags;
        Map<String, String> p = params;
        Map<String, Double> mt = metrics;
        Lineage l = lineage;
        Signature sig = signature;
        long rev = revision;
        return valid(r, () -> new ModelVersion(m, n, d, s, at, by, desc, t, p, mt, l, sig, rev));
    }

    private static Lineage readLineage(StrictJsonReader r) {
        r.beginObject();
        Seen seen = new Seen();
        Optional<String> codeRevision = Optional.empty();
        boolean dirty = false;
        List<DataSource> data = new ArrayList<>();
        List<ModelRef.ByVersion> parents = new ArrayList<>();
        Optional<String> runId = Optional.empty();
        Environment environment = null;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "codeRevision" -> codeRevision = Optional.of(text(r));
                case "dirty" -> dirty = r.booleanValue();
                case "data" -> {
                    r.beginArray();
                    for (int i = 0; r.nextElement(i, MAX_LIST); i++) {
                        data.add(readDataSource(r));
                    }
                }
                case "parents" -> {
                    r.beginArray();
                    for (int i = 0; r.nextElement(i, MAX_LIST); i++) {
                        parents.add(readParent(r));
                    }
                }
                case "runId" -> runId = Optional.of(text(r));
                case "environment" -> environment = readEnvironment(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "data", "parents", "environment");
        Optional<String> rev = codeRevision;
        boolean d = dirty;
        Optional<String> run = runId;
        Environment env = environment;
        return valid(r, () -> new Lineage(rev, d, data, parents, run, env));
    }

    /** Reads an object whose first token the reader is already on (an array element). */
    private static DataSource readDataSource(StrictJsonReader r) {
        if (!r.isObjectStart()) {
            throw r.fail("expected an object");
        }
        Seen seen = new Seen();
        String uri = null;
        Optional<Sha256> sha = Optional.empty();
        OptionalLong rows = OptionalLong.empty();
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "uri" -> uri = text(r);
                case "sha256" -> sha = Optional.of(digest(r));
                case "rows" -> rows = OptionalLong.of(r.longValue(0, Long.MAX_VALUE));
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "uri");
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw r.fail("expected a URI, found one that does not parse: " + e.getReason());
        }
        Optional<Sha256> s = sha;
        OptionalLong n = rows;
        return valid(r, () -> new DataSource(parsed, s, n));
    }

    private static ModelRef.ByVersion readParent(StrictJsonReader r) {
        if (!r.isObjectStart()) {
            throw r.fail("expected an object");
        }
        Seen seen = new Seen();
        String model = null;
        long version = 0;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "model" -> model = text(r);
                case "version" -> version = positive(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "model", "version");
        String m = model;
        long v = version;
        return valid(r, () -> ModelRef.of(m, v));
    }

    private static Environment readEnvironment(StrictJsonReader r) {
        r.beginObject();
        Seen seen = new Seen();
        String java = null;
        String os = null;
        String library = null;
        Map<String, String> extra = null;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "java" -> java = text(r);
                case "os" -> os = text(r);
                case "library" -> library = text(r);
                case "extra" -> extra = stringMap(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "java", "os", "library", "extra");
        String j = java;
        String o = os;
        String l = library;
        Map<String, String> e = extra;
        return valid(r, () -> new Environment(j, o, l, e));
    }

    private static Signature readSignature(StrictJsonReader r) {
        r.beginObject();
        Seen seen = new Seen();
        List<Field> inputs = null;
        List<Field> outputs = null;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "inputs" -> inputs = readFields(r);
                case "outputs" -> outputs = readFields(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "inputs", "outputs");
        List<Field> in = inputs;
        List<Field> out = outputs;
        return valid(r, () -> new Signature(in, out));
    }

    private static List<Field> readFields(StrictJsonReader r) {
        r.beginArray();
        List<Field> out = new ArrayList<>();
        for (int i = 0; r.nextElement(i, MAX_LIST); i++) {
            if (!r.isObjectStart()) {
                throw r.fail("expected an object");
            }
            Seen seen = new Seen();
            String name = null;
            FieldType type = null;
            List<Integer> shape = new ArrayList<>();
            boolean nullable = false;
            while (r.nextField()) {
                String f = r.field();
                seen.add(f);
                switch (f) {
                    case "name" -> name = text(r);
                    case "type" -> type = fieldType(r);
                    case "shape" -> {
                        r.beginArray();
                        for (int k = 0; r.nextElement(k, 1000); k++) {
                            shape.add((int) r.currentLong(-1, Integer.MAX_VALUE));
                        }
                    }
                    case "nullable" -> nullable = r.booleanValue();
                    default -> r.skipUnknown();
                }
            }
            seen.require(r, "name", "type", "shape", "nullable");
            String n = name;
            FieldType t = type;
            boolean opt = nullable;
            out.add(valid(r, () -> new Field(n, t, shape, opt)));
        }
        return out;
    }

    private static FieldType fieldType(StrictJsonReader r) {
        String s = r.string(32);
        for (FieldType t : FieldType.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(s)) {
                return t;
            }
        }
        throw r.fail("expected a field type such as \"float64\", found an unknown one");
    }

    static AliasMove readAliasMove(StrictJsonReader r) {
        r.beginObject();
        return readAliasMoveFields(r);
    }

    /** Reads an alias move's fields, the reader on the object's start (an array element, after {@code nextElement}). */
    static AliasMove readAliasMoveFields(StrictJsonReader r) {
        Seen seen = new Seen();
        String model = null;
        String alias = null;
        AliasMove.Kind kind = null;
        OptionalLong from = OptionalLong.empty();
        OptionalLong to = OptionalLong.empty();
        Instant at = null;
        String actor = null;
        String reason = null;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "model" -> model = text(r);
                case "alias" -> alias = text(r);
                case "kind" -> {
                    String k = r.string(16);
                    kind = switch (k) {
                        case "set" -> AliasMove.Kind.SET;
                        case "rollback" -> AliasMove.Kind.ROLLBACK;
                        case "remove" -> AliasMove.Kind.REMOVE;
                        default -> throw r.fail("expected \"set\", \"rollback\" or \"remove\"");
                    };
                }
                case "from" -> from = OptionalLong.of(positive(r));
                case "to" -> to = OptionalLong.of(positive(r));
                case "at" -> at = instant(r);
                case "actor" -> actor = text(r);
                case "reason" -> reason = text(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "model", "alias", "kind", "at", "actor", "reason");
        String m = model;
        String a = alias;
        AliasMove.Kind k = kind;
        OptionalLong fr = from;
        OptionalLong t = to;
        Instant when = at;
        String who = actor;
        String why = reason;
        return valid(r, () -> new AliasMove(m, a, k, fr, t, when, who, why));
    }

    static Tombstone readTombstone(StrictJsonReader r) {
        r.beginObject();
        return readTombstoneFields(r);
    }

    static List<Tombstone> readTombstones(StrictJsonReader r) {
        r.beginArray();
        List<Tombstone> out = new ArrayList<>();
        for (int i = 0; r.nextElement(i, MAX_LIST); i++) {
            if (!r.isObjectStart()) {
                throw r.fail("expected an object");
            }
            out.add(readTombstoneFields(r));
        }
        return out;
    }

    private static Tombstone readTombstoneFields(StrictJsonReader r) {
        Seen seen = new Seen();
        String model = null;
        long version = 0;
        Sha256 digest = null;
        Instant at = null;
        String actor = null;
        String reason = null;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "model" -> model = text(r);
                case "version" -> version = positive(r);
                case "sha256" -> digest = digest(r);
                case "deletedAt" -> at = instant(r);
                case "actor" -> actor = text(r);
                case "reason" -> reason = text(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "model", "version", "sha256", "deletedAt", "actor", "reason");
        String m = model;
        long v = version;
        Sha256 d = digest;
        Instant when = at;
        String who = actor;
        String why = reason;
        return valid(r, () -> new Tombstone(m, v, d, when, who, why));
    }

    static ChangeNote readNote(StrictJsonReader r) {
        r.beginObject();
        Seen seen = new Seen();
        String actor = null;
        String reason = null;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "actor" -> actor = text(r);
                case "reason" -> reason = text(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "actor", "reason");
        String who = actor;
        String why = reason;
        return valid(r, () -> new ChangeNote(who, why));
    }

    static ModelSummary readSummary(StrictJsonReader r) {
        r.beginObject();
        Seen seen = new Seen();
        String model = null;
        OptionalLong latest = OptionalLong.empty();
        long live = 0;
        long highest = 0;
        Map<String, Long> aliases = null;
        String description = null;
        Map<String, String> tags = null;
        Instant createdAt = null;
        Instant updatedAt = null;
        long revision = 0;
        while (r.nextField()) {
            String f = r.field();
            seen.add(f);
            switch (f) {
                case "model" -> model = text(r);
                case "latest" -> latest = OptionalLong.of(positive(r));
                case "liveVersions" -> live = r.longValue(0, Long.MAX_VALUE);
                case "highestAssigned" -> highest = r.longValue(0, Long.MAX_VALUE);
                case "aliases" -> {
                    r.beginObject();
                    aliases = new TreeMap<>();
                    while (r.nextField()) {
                        String a = r.field();
                        aliases.put(a, positive(r));
                    }
                }
                case "description" -> description = text(r);
                case "tags" -> tags = stringMap(r);
                case "createdAt" -> createdAt = instant(r);
                case "updatedAt" -> updatedAt = instant(r);
                case "revision" -> revision = positive(r);
                default -> r.skipUnknown();
            }
        }
        seen.require(r, "model", "liveVersions", "highestAssigned", "aliases", "description", "tags", "createdAt",
                "updatedAt", "revision");
        String m = model;
        OptionalLong l = latest;
        long lv = live;
        long h = highest;
        Map<String, Long> a = aliases;
        String d = description;
        Map<String, String> t = tags;
        Instant c = createdAt;
        Instant u = updatedAt;
        long rev = revision;
        return valid(r, () -> new ModelSummary(m, l, lv, h, a, d, t, c, u, rev));
    }
}
