package dev.mlops.core.internal;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Tombstone;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot file, {@code models/<name>/snapshots/<number>.json}: the model's whole state
 * ({@link ModelLedger.State}) right after its change {@code number}, so that a process loads the model
 * from the newest snapshot and the few change files after it instead of replaying every change. The
 * change files stay authoritative: a snapshot that cannot be read is ignored, and {@code fsck} checks
 * each against a replay.
 *
 * <pre>{@code
 * {"format": "mlops.registry.snapshot", "version": 1, "model": "fraud", "number": 64,
 *  "highest": 40, "deleted": false, "description": "", "tags": {}, "revision": 1,
 *  "createdAt": "2026-...Z", "updatedAt": "2026-...Z",          (absent before the first registration)
 *  "live": [manifest, ...],                                     (by number, as in change files)
 *  "targets": {"champion": [40, 38]},                           (rollback stacks, current target first)
 *  "history": {"champion": [move, ...]},                        (oldest first)
 *  "tombstones": [tombstone, ...]}                              (by number)
 * }</pre>
 */
public final class SnapshotCodec {
    /** The format's name and version. */
    public static final JsonFormat FORMAT = new JsonFormat("mlops.registry.snapshot", 1);
    /** The largest snapshot written or read; a model whose state is bigger is loaded from its change files. */
    public static final int MAX_BYTES = 512 << 20;
    /** How many changes of a model apart its snapshots are while it is young (see {@link #interval}). */
    public static final int DEFAULT_EVERY = 64;

    private SnapshotCodec() {
    }

    /**
     * How many changes apart a model's snapshots are around change {@code change}: {@code every} until the
     * model has 32 times that many changes, then doubled as often as needed to stay above 1/32 of them. A
     * snapshot holds the whole model, so a fixed interval would make writing a large model's snapshots
     * cost in proportion to its size on every interval (quadratic in all); this way a change pays for at
     * most 32 changes' worth of snapshot, and a process loading the model replays at most 1/16 of its
     * changes after the newest snapshot. The one rule of every durable store, so that their snapshots
     * fall on the same changes.
     *
     * @param change the number of the change just made, at least 1
     * @param every the store's base interval ({@link #DEFAULT_EVERY} unless configured), at least 1
     * @return a power-of-two multiple of {@code every}
     */
    public static long interval(long change, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1 change, was " + every);
        }
        long interval = every;
        while (interval <= change / 32) {
            interval *= 2;
        }
        return interval;
    }

    /**
     * @param change the number of the change just made, at least 1
     * @param every the store's base interval, at least 1
     * @return whether a snapshot of the state after {@code change} is due ({@link #interval})
     */
    public static boolean due(long change, int every) {
        return change % interval(change, every) == 0;
    }

    /**
     * A snapshot read.
     *
     * @param state what the file holds
     * @param ledger a ledger restored from it, ready to apply the changes after it
     */
    public record Loaded(ModelLedger.State state, ModelLedger ledger) {
    }

    /**
     * @param number the change of the model after which {@code s} holds
     * @param s the model's whole state
     * @return the document, indented UTF-8 ending in a line break
     */
    public static byte[] write(long number, ModelLedger.State s) {
        return FORMAT.writePrettyUtf8(g -> {
            g.writeStringField("model", s.model());
            g.writeNumberField("number", number);
            g.writeNumberField("highest", s.highest());
            g.writeBooleanField("deleted", s.deleted());
            g.writeStringField("description", s.description());
            ValueCodec.writeStringMap(g, "tags", s.tags());
            g.writeNumberField("revision", s.revision());
            if (s.createdAt() != null) {
                g.writeStringField("createdAt", s.createdAt().toString());
            }
            if (s.updatedAt() != null) {
                g.writeStringField("updatedAt", s.updatedAt().toString());
            }
            g.writeArrayFieldStart("live");
            for (ModelVersion v : s.live()) {
                ValueCodec.writeManifest(g, v);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("targets");
            for (Map.Entry<String, List<Long>> e : s.targets().entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (long t : e.getValue()) {
                    g.writeNumber(t);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("history");
            for (Map.Entry<String, List<AliasMove>> e : s.history().entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (AliasMove m : e.getValue()) {
                    ValueCodec.writeAliasMove(g, m);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            ValueCodec.writeTombstones(g, "tombstones", s.tombstones());
        });
    }

    /**
     * @param document the file's name for messages
     * @param json its text
     * @param model the model whose directory holds it
     * @param number the number its name gives it
     * @return the state it holds and the ledger restored from it ({@link ModelLedger#restore}, which checks
     *     that the parts fit together)
     * @throws InvalidFormatException naming the file and the field at fault
     */
    public static Loaded read(String document, String json, String model, long number) {
        try (StrictJsonReader r = FORMAT.reader(document, json, MAX_BYTES)) {
            r.beginObject();
            ValueCodec.Seen seen = new ValueCodec.Seen();
            String inModel = null;
            long inNumber = 0;
            long highest = 0;
            boolean deleted = false;
            String description = null;
            Map<String, String> tags = null;
            long revision = 0;
            Instant createdAt = null;
            Instant updatedAt = null;
            List<ModelVersion> live = new ArrayList<>();
            Map<String, List<Long>> targets = new TreeMap<>();
            Map<String, List<AliasMove>> history = new TreeMap<>();
            List<Tombstone> tombstones = null;
            while (r.nextField()) {
                String f = r.field();
                seen.add(f);
                switch (f) {
                    case "model" -> inModel = ValueCodec.text(r);
                    case "number" -> inNumber = ValueCodec.positive(r);
                    case "highest" -> highest = r.longValue(0, Long.MAX_VALUE);
                    case "deleted" -> deleted = r.booleanValue();
                    case "description" -> description = ValueCodec.text(r);
                    case "tags" -> tags = ValueCodec.stringMap(r);
                    case "revision" -> revision = ValueCodec.positive(r);
                    case "createdAt" -> createdAt = ValueCodec.instant(r);
                    case "updatedAt" -> updatedAt = ValueCodec.instant(r);
                    case "live" -> {
                        r.beginArray();
                        for (int i = 0; r.nextElement(i, ValueCodec.MAX_LIST); i++) {
                            if (!r.isObjectStart()) {
                                throw r.fail("expected a manifest object");
                            }
                            live.add(ValueCodec.readManifestFields(r));
                        }
                    }
                    case "targets" -> {
                        r.beginObject();
                        while (r.nextField()) {
                            String alias = r.field();
                            List<Long> stack = new ArrayList<>();
                            r.beginArray();
                            for (int i = 0; r.nextElement(i, ModelLedger.MAX_ALIAS_HISTORY); i++) {
                                stack.add(r.currentLong(1, Long.MAX_VALUE));
                            }
                            targets.put(alias, stack);
                        }
                    }
                    case "history" -> {
                        r.beginObject();
                        while (r.nextField()) {
                            String alias = r.field();
                            List<AliasMove> moves = new ArrayList<>();
                            r.beginArray();
                            for (int i = 0; r.nextElement(i, ModelLedger.MAX_ALIAS_HISTORY); i++) {
                                if (!r.isObjectStart()) {
                                    throw r.fail("expected an alias move object");
                                }
                                moves.add(ValueCodec.readAliasMoveFields(r));
                            }
                            history.put(alias, moves);
                        }
                    }
                    case "tombstones" -> tombstones = ValueCodec.readTombstones(r);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            seen.require(r, "model", "number", "highest", "deleted", "description", "tags", "revision", "live",
                    "targets", "history", "tombstones");
            if (!model.equals(inModel)) {
                throw r.failAt("/model", "expected \"" + model + "\", the model whose directory holds the file");
            }
            if (inNumber != number) {
                throw r.failAt("/number", "expected " + number + ", the number in the file's name");
            }
            long h = highest;
            boolean d = deleted;
            String desc = description;
            Map<String, String> t = tags;
            long rev = revision;
            Instant created = createdAt;
            Instant updated = updatedAt;
            List<Tombstone> buried = tombstones;
            ModelLedger.State state = ValueCodec.valid(r, () -> new ModelLedger.State(model, h, d, desc, t, rev, created,
                    updated, live, targets, history, buried));
            ModelLedger ledger = ValueCodec.valid(r, () -> ModelLedger.restore(state));
            r.endDocument();
            return new Loaded(state, ledger);
        }
    }
}
