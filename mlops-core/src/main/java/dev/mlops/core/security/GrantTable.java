package dev.mlops.core.security;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The policy {@link AccessPolicy.Builder} builds: immutable maps from grantee to model to level. */
final class GrantTable implements AccessPolicy {
    /** The key of a grant on every model; no model name can be empty. */
    private static final String ALL = "";

    private final Map<String, Map<String, Permission>> users;
    private final Map<String, Map<String, Permission>> roles;

    private GrantTable(Map<String, Map<String, Permission>> users, Map<String, Map<String, Permission>> roles) {
        this.users = users;
        this.roles = roles;
    }

    @Override
    public Optional<Permission> permission(Principal principal, String model) {
        Permission best = highest(null, users.get(principal.name()), model);
        for (String role : principal.roles()) {
            best = highest(best, roles.get(role), model);
        }
        return Optional.ofNullable(best);
    }

    private static Permission highest(Permission best, Map<String, Permission> grants, String model) {
        if (grants == null) {
            return best;
        }
        for (Permission p : new Permission[] {grants.get(model), grants.get(ALL)}) {
            if (p != null && (best == null || p.compareTo(best) > 0)) {
                best = p;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "AccessPolicy[users=" + users + ", roles=" + roles + "] (\"\" = all models)";
    }

    static final class Collector {
        private final Map<String, Map<String, Permission>> users = new TreeMap<>();
        private final Map<String, Map<String, Permission>> roles = new TreeMap<>();

        void add(boolean role, String grantee, Permission permission, Optional<String> model) {
            (role ? roles : users).computeIfAbsent(grantee, g -> new TreeMap<>())
                    .merge(model.orElse(ALL), permission, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }

        GrantTable build() {
            return new GrantTable(freeze(users), freeze(roles));
        }

        private static Map<String, Map<String, Permission>> freeze(Map<String, Map<String, Permission>> grants) {
            Map<String, Map<String, Permission>> copy = new TreeMap<>();
            grants.forEach((grantee, byModel) -> copy.put(grantee, Collections.unmodifiableMap(new TreeMap<>(byModel))));
            return Collections.unmodifiableMap(copy);
        }
    }
}
