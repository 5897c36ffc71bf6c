package dev.mlops.tck;

import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Tombstone;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a caller can observe of a store, through its public reads only: models, every live
 * version with its artifact bytes, tombstones, and the history of every alias named. Two snapshots are
 * equal exactly when no read could tell the stores apart (rollback steps aside, which only a rollback
 * shows).
 */
record StoreState(List<ModelSummary> models, Map<String, List<ModelVersion>> versions,
        Map<String, List<String>> artifacts, Map<String, List<Tombstone>> tombstones,
        Map<String, List<AliasMove>> histories) {

    static StoreState of(ModelStore store, Set<String> extraModels, Set<String> aliases) {
        List<ModelSummary> models = store.models();
        Set<String> names = new TreeSet<>(extraModels);
        models.forEach(m -> names.add(m.model()));
        Set<String> allAliases = new TreeSet<>(aliases);
        models.forEach(m -> allAliases.addAll(m.aliases().keySet()));
        Map<String, List<ModelVersion>> versions = new TreeMap<>();
        Map<String, List<String>> artifacts = new TreeMap<>();
        Map<String, List<Tombstone>> tombstones = new TreeMap<>();
        Map<String, List<AliasMove>> histories = new TreeMap<>();
        for (String model : names) {
            List<ModelVersion> all = new ArrayList<>();
            Page<ModelVersion> page = store.versions(model, PageRequest.first(PageRequest.MAX_SIZE));
            all.addAll(page.items());
            while (page.next().isPresent()) {
                page = store.versions(model, page.next().get());
                all.addAll(page.items());
            }
            versions.put(model, all);
            List<String> bytes = new ArrayList<>();
            for (ModelVersion v : all) {
                try (InputStream in = store.open(v.ref())) {
                    bytes.add(java.util.HexFormat.of().formatHex(in.readAllBytes()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            artifacts.put(model, bytes);
            tombstones.put(model, store.tombstones(model));
            for (String alias : allAliases) {
                histories.put(model + "@" + alias, store.aliasHistory(model, alias));
            }
        }
        return new StoreState(models, versions, artifacts, tombstones, histories);
    }
}
