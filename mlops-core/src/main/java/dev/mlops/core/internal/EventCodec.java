package dev.mlops.core.internal;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Tombstone;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One event of a durable store's sequence, naming the change it announces (the filesystem store keeps
 * it in a journal entry, {@code journal/<sequence>.json}; the PostgreSQL store in a row of its event
 * table) and carrying the event as listeners received it (a model-annotated event carries
 * the model's summary after the change, which the change file alone does not hold).
 *
 * <pre>{@code
 * {"format": "mlops.registry.event", "version": 1, "sequence": 12, "model": "fraud", "change": 7,
 *  "kind": "registered", "manifest": {...}}
 * }</pre>
 *
 * Kinds and their fields: {@code registered} (manifest), {@code alias-moved} (move), {@code annotated}
 * (manifest, note), {@code deleted} (tombstone), {@code model-annotated} (summary, note),
 * {@code model-deleted} (tombstones, note).
 */
public final class EventCodec {
    /** The format's name and version. */
    public static final JsonFormat FORMAT = new JsonFormat("mlops.registry.event", 1);
    /** The largest entry written or read. */
    public static final int MAX_BYTES = ChangeCodec.MAX_BYTES;

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "registered", Set.of("manifest"),
            "alias-moved", Set.of("move"),
            "annotated", Set.of("manifest", "note"),
            "deleted", Set.of("tombstone"),
            "model-annotated", Set.of("summary", "note"),
            "model-deleted", Set.of("tombstones", "note"));

    /**
     * An entry: the event and the change it announces.
     *
     * @param event the event, as listeners received it
     * @param change the number of the change it announces in its model's change log
     */
    public record Entry(ModelStoreEvent event, long change) {
    }

    private EventCodec() {
    }

    /**
     * @param event the event, numbered
     * @param change the number of the change it announces in its model's change log
     * @return the document, indented UTF-8 ending in a line break
     */
    public static byte[] write(ModelStoreEvent event, long change) {
        return FORMAT.writePrettyUtf8(g -> {
            g.writeNumberField("sequence", event.sequence());
            g.writeStringField("model", event.model());
            g.writeNumberField("change", change);
            if (event instanceof ModelStoreEvent.Registered r) {
                g.writeStringField("kind", "registered");
                g.writeFieldName("manifest");
                ValueCodec.writeManifest(g, r.version());
            } else if (event instanceof ModelStoreEvent.AliasMoved a) {
                g.writeStringField("kind", "alias-moved");
                g.writeFieldName("move");
                ValueCodec.writeAliasMove(g, a.move());
            } else if (event instanceof ModelStoreEvent.Annotated a) {
                g.writeStringField("kind", "annotated");
                g.writeFieldName("manifest");
                ValueCodec.writeManifest(g, a.version());
                ValueCodec.writeNote(g, "note", a.note());
            } else if (event instanceof ModelStoreEvent.Deleted d) {
                g.writeStringField("kind", "deleted");
                g.writeFieldName("tombstone");
                ValueCodec.writeTombstone(g, d.tombstone());
            } else if (event instanceof ModelStoreEvent.ModelAnnotated a) {
                g.writeStringField("kind", "model-annotated");
                g.writeFieldName("summary");
                ValueCodec.writeSummary(g, a.summary());
                ValueCodec.writeNote(g, "note", a.note());
            } else {
                ModelStoreEvent.ModelDeleted d = (ModelStoreEvent.ModelDeleted) event;
                g.writeStringField("kind", "model-deleted");
                ValueCodec.writeTombstones(g, "tombstones", d.tombstones());
                ValueCodec.writeNote(g, "note", d.note());
            }
        });
    }

    /**
     * @param document the file's name for messages
     * @param json its text
     * @param sequence the sequence its name gives it
     * @return the entry
     * @throws InvalidFormatException naming the file and the field at fault
     */
    public static Entry read(String document, String json, long sequence) {
        try (StrictJsonReader r = FORMAT.reader(document, json, MAX_BYTES)) {
            r.beginObject();
            ValueCodec.Seen seen = new ValueCodec.Seen();
            long inSequence = 0;
            String model = null;
            long change = 0;
            String kind = null;
            ModelVersion manifest = null;
            AliasMove move = null;
            ChangeNote note = null;
            Tombstone tombstone = null;
            ModelSummary summary = null;
            List<Tombstone> tombstones = null;
            while (r.nextField()) {
                String f = r.field();
                seen.add(f);
                switch (f) {
                    case "sequence" -> inSequence = ValueCodec.positive(r);
                    case "model" -> model = ValueCodec.text(r);
                    case "change" -> change = ValueCodec.positive(r);
                    case "kind" -> {
                        kind = r.string(32);
                        if (!FIELDS.containsKey(kind)) {
                            throw r.fail("expected one of " + new java.util.TreeSet<>(FIELDS.keySet()));
                        }
                    }
                    case "manifest" -> manifest = ValueCodec.readManifest(r);
                    case "move" -> move = ValueCodec.readAliasMove(r);
                    case "note" -> note = ValueCodec.readNote(r);
                    case "tombstone" -> tombstone = ValueCodec.readTombstone(r);
                    case "summary" -> summary = ValueCodec.readSummary(r);
                    case "tombstones" -> tombstones = ValueCodec.readTombstones(r);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            seen.require(r, "sequence", "model", "change", "kind");
            if (inSequence != sequence) {
                throw r.failAt("/sequence", "expected " + sequence + ", the number in the file's name");
            }
            Set<String> body = FIELDS.get(kind);
            for (Set<String> other : FIELDS.values()) {
                for (String f : other) {
                    if (seen.has(f) && !body.contains(f)) {
                        throw r.failAt("/" + f, "not a field of a \"" + kind + "\" event");
                    }
                }
            }
            seen.require(r, body.toArray(new String[0]));
            String m = model;
            ModelVersion v = manifest;
            AliasMove mv = move;
            ChangeNote n = note;
            Tombstone t = tombstone;
            ModelSummary s = summary;
            List<Tombstone> ts = tombstones;
            String k = kind;
            ModelStoreEvent event = ValueCodec.valid(r, () -> switch (k) {
                case "registered" -> new ModelStoreEvent.Registered(sequence, v);
                case "alias-moved" -> new ModelStoreEvent.AliasMoved(sequence, mv);
                case "annotated" -> new ModelStoreEvent.Annotated(sequence, v, n);
                case "deleted" -> new ModelStoreEvent.Deleted(sequence, t);
                case "model-annotated" -> new ModelStoreEvent.ModelAnnotated(sequence, s, n);
                default -> new ModelStoreEvent.ModelDeleted(sequence, m, ts, n);
            });
            if (!event.model().equals(m)) {
                throw r.failAt("/model", "the event is of model \"" + event.model() + "\", the entry names another");
            }
            r.endDocument();
            return new Entry(event, change);
        }
    }
}
