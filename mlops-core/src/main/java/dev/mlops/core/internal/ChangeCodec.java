package dev.mlops.core.internal;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Tombstone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One committed {@link ModelLedger.Change} of a model's change log, as every durable store keeps it: the
 * filesystem store in a change file, {@code models/<name>/changes/<number>.json}; the PostgreSQL store in
 * a row of its change table. Written once here, so that both stores keep the same document.
 *
 * <pre>{@code
 * {"format": "mlops.registry.change", "version": 1, "model": "fraud", "number": 7, "kind": "registered",
 *  "manifest": {...}}
 * }</pre>
 *
 * Kinds and their fields: {@code registered} (manifest), {@code alias-moved} (move, targetsAfter: the
 * alias's rollback stack after the move, current target first), {@code annotated} (manifest after the
 * change, note, at), {@code deleted} (tombstone), {@code model-annotated} (description, tags, revision,
 * at, note), {@code model-deleted} (tombstones, at, note). A field of another kind is an error, like any
 * unknown field.
 */
public final class ChangeCodec {
    /** The format's name and version. */
    public static final JsonFormat FORMAT = new JsonFormat("mlops.registry.change", 1);
    /** The largest change file written or read; a bigger change is refused before anything is published. */
    public static final int MAX_BYTES = 64 << 20;

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "registered", Set.of("manifest"),
            "alias-moved", Set.of("move", "targetsAfter"),
            "annotated", Set.of("manifest", "note", "at"),
            "deleted", Set.of("tombstone"),
            "model-annotated", Set.of("description", "tags", "revision", "at", "note"),
            "model-deleted", Set.of("tombstones", "at", "note"));

    private ChangeCodec() {
    }

    /**
     * @param model the model the change is of
     * @param number its place in the model's change log, from 1
     * @param change the change
     * @return the document, indented UTF-8 ending in a line break
     */
    public static byte[] write(String model, long number, ModelLedger.Change change) {
        return FORMAT.writePrettyUtf8(g -> {
            g.writeStringField("model", model);
            g.writeNumberField("number", number);
            writeBody(g, change);
        });
    }

    private static void writeBody(StrictJsonWriter g, ModelLedger.Change change) {
        if (change instanceof ModelLedger.Registered r) {
            g.writeStringField("kind", "registered");
            g.writeFieldName("manifest");
            ValueCodec.writeManifest(g, r.version());
        } else if (change instanceof ModelLedger.AliasChanged a) {
            g.writeStringField("kind", "alias-moved");
            g.writeFieldName("move");
            ValueCodec.writeAliasMove(g, a.move());
            g.writeArrayFieldStart("targetsAfter");
            for (long t : a.targetsAfter()) {
                g.writeNumber(t);
            }
            g.writeEndArray();
        } else if (change instanceof ModelLedger.Annotated a) {
            g.writeStringField("kind", "annotated");
            g.writeFieldName("manifest");
            ValueCodec.writeManifest(g, a.version());
            ValueCodec.writeNote(g, "note", a.note());
            g.writeStringField("at", a.at().toString());
        } else if (change instanceof ModelLedger.Deleted d) {
            g.writeStringField("kind", "deleted");
            g.writeFieldName("tombstone");
            ValueCodec.writeTombstone(g, d.tombstone());
        } else if (change instanceof ModelLedger.ModelAnnotated a) {
            g.writeStringField("kind", "model-annotated");
            g.writeStringField("description", a.description());
            ValueCodec.writeStringMap(g, "tags", a.tags());
            g.writeNumberField("revision", a.revision());
            g.writeStringField("at", a.at().toString());
            ValueCodec.writeNote(g, "note", a.note());
        } else {
            ModelLedger.ModelDeleted d = (ModelLedger.ModelDeleted) change;
            g.writeStringField("kind", "model-deleted");
            ValueCodec.writeTombstones(g, "tombstones", d.tombstones());
            g.writeStringField("at", d.at().toString());
            ValueCodec.writeNote(g, "note", d.note());
        }
    }

    /**
     * @param document the file's name for messages
     * @param json its text
     * @param model the model whose directory holds it
     * @param number the number its name gives it
     * @return the change
     * @throws InvalidFormatException naming the file and the field at fault
     */
    public static ModelLedger.Change read(String document, String json, String model, long number) {
        try (StrictJsonReader r = FORMAT.reader(document, json, MAX_BYTES)) {
            r.beginObject();
            ValueCodec.Seen seen = new ValueCodec.Seen();
            String inModel = null;
            long inNumber = 0;
            String kind = null;
            ModelVersion manifest = null;
            AliasMove move = null;
            List<Long> targets = null;
            ChangeNote note = null;
            Instant at = null;
            Tombstone tombstone = null;
            String description = null;
            Map<String, String> tags = null;
            long revision = 0;
            List<Tombstone> tombstones = null;
            List<String> misplaced = new ArrayList<>();
            while (r.nextField()) {
                String f = r.field();
                seen.add(f);
                switch (f) {
                    case "model" -> inModel = ValueCodec.text(r);
                    case "number" -> inNumber = ValueCodec.positive(r);
                    case "kind" -> {
                        kind = r.string(32);
                        if (!FIELDS.containsKey(kind)) {
                            throw r.fail("expected one of " + new java.util.TreeSet<>(FIELDS.keySet()));
                        }
                    }
                    case "manifest" -> manifest = ValueCodec.readManifest(r);
                    case "move" -> move = ValueCodec.readAliasMove(r);
                    case "targetsAfter" -> {
                        r.beginArray();
                        targets = new ArrayList<>();
                        for (int i = 0; r.nextElement(i, ModelLedger.MAX_ALIAS_HISTORY); i++) {
                            targets.add(r.currentLong(1, Long.MAX_VALUE));
                        }
                    }
                    case "note" -> note = ValueCodec.readNote(r);
                    case "at" -> at = ValueCodec.instant(r);
                    case "tombstone" -> tombstone = ValueCodec.readTombstone(r);
                    case "description" -> description = ValueCodec.text(r);
                    case "tags" -> tags = ValueCodec.stringMap(r);
                    case "revision" -> revision = ValueCodec.positive(r);
                    case "tombstones" -> tombstones = ValueCodec.readTombstones(r);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            seen.require(r, "model", "number", "kind");
            if (!model.equals(inModel)) {
                throw r.failAt("/model", "expected \"" + model + "\", the model whose directory holds the file");
            }
            if (inNumber != number) {
                throw r.failAt("/number", "expected " + number + ", the number in the file's name");
            }
            Set<String> body = FIELDS.get(kind);
            for (Set<String> other : FIELDS.values()) {
                for (String f : other) {
                    if (seen.has(f) && !body.contains(f)) {
                        misplaced.add(f);
                    }
                }
            }
            if (!misplaced.isEmpty()) {
                throw r.failAt("/" + misplaced.get(0), "not a field of a \"" + kind + "\" change");
            }
            seen.require(r, body.toArray(new String[0]));
            ModelLedger.Change change = switch (kind) {
                case "registered" -> new ModelLedger.Registered(manifest);
                case "alias-moved" -> new ModelLedger.AliasChanged(move, targets);
                case "annotated" -> new ModelLedger.Annotated(manifest, note, at);
                case "deleted" -> new ModelLedger.Deleted(tombstone);
                case "model-annotated" -> {
                    String d = description;
                    Map<String, String> t = tags;
                    long rev = revision;
                    Instant when = at;
                    ChangeNote n = note;
                    yield ValueCodec.valid(r, () -> {
                        // the summary's rules check description and tags as the model holds them
                        new ModelSummary(model, java.util.OptionalLong.empty(), 0, 0, Map.of(), d, t, when, when, rev);
                        return new ModelLedger.ModelAnnotated(d, t, rev, when, n);
                    });
                }
                default -> new ModelLedger.ModelDeleted(tombstones, at, note);
            };
            r.endDocument();
            return change;
        }
    }
}
