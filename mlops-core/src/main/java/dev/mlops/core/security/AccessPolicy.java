package dev.mlops.core.security;

import dev.mlops.core.Names;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a {@link Principal} may do with a model: the highest {@link Permission} it holds there,
 * or none. {@link AccessControlledModelStore} asks it before every call. Implement it to take grants
 * from wherever the application keeps them (a database, an identity provider's groups); or build a
 * fixed one:
 *
 * <pre>{@code
 * AccessPolicy policy = AccessPolicy.builder()
 *         .grantUserAllModels("admin", Permission.MANAGE)
 *         .grantRole("risk-team", Permission.EDIT, "fraud-scorer")
 *         .grantRoleAllModels("analyst", Permission.READ)
 *         .grantUser("carol", Permission.READ, "churn")
 *         .build();
 * policy.allows(Principal.of("dave", "risk-team"), Permission.EDIT, "fraud-scorer");   // true
 * policy.allows(Principal.of("dave", "risk-team"), Permission.EDIT, "churn");          // false
 * }</pre>
 *
 * <p>Default deny: a principal with no grant that covers a model may do nothing with it. Grants add
 * up: a principal holds the highest of the grants to its name and to each of its roles, on the model
 * and on all models. Implementations must be thread-safe and quick (they run on every call), must not
 * return {@code null}, and should not call the store they guard. A policy that throws fails the call
 * before the store sees it.
 */
@FunctionalInterface
public interface AccessPolicy {
    /**
     * @param principal who asks
     * @param model a model name, valid by {@link Names}
     * @return the highest permission {@code principal} holds on {@code model}, empty when none
     */
    Optional<Permission> permission(Principal principal, String model);

    /**
     * @param principal who asks
     * @param needed what the operation needs
     * @param model the model it concerns
     * @return whether {@code principal} holds {@code needed} or more on {@code model}
     */
    default boolean allows(Principal principal, Permission needed, String model) {
        Objects.requireNonNull(needed, "needed");
        return permission(principal, model).map(held -> held.covers(needed)).orElse(false);
    }

    /** @return a builder with no grants: what it builds denies everything until granted */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Collects grants for an immutable, thread-safe policy. Not thread-safe itself. Granting the same
     * principal or role twice on the same models keeps the higher permission.
     */
    final class Builder {
        private final GrantTable.Collector grants = new GrantTable.Collector();

        private Builder() {
        }

        /**
         * @param user a principal's {@link Principal#name() name}
         * @param permission the level granted
         * @param model the model it applies to
         * @return this
         */
        public Builder grantUser(String user, Permission permission, String model) {
            grants.add(false, Principal.checkName(user), Objects.requireNonNull(permission, "permission"),
                    Optional.of(Names.checkModel(model)));
            return this;
        }

        /**
         * @param user a principal's {@link Principal#name() name}
         * @param permission the level granted on every model, present and future
         * @return this
         */
        public Builder grantUserAllModels(String user, Permission permission) {
            grants.add(false, Principal.checkName(user), Objects.requireNonNull(permission, "permission"), Optional.empty());
            return this;
        }

        /**
         * @param role a role, as in {@link Principal#roles()}
         * @param permission the level granted to every principal with the role
         * @param model the model it applies to
         * @return this
         */
        public Builder grantRole(String role, Permission permission, String model) {
            grants.add(true, Principal.checkRole(role), Objects.requireNonNull(permission, "permission"),
                    Optional.of(Names.checkModel(model)));
            return this;
        }

        /**
         * @param role a role, as in {@link Principal#roles()}
         * @param permission the level granted on every model to every principal with the role
         * @return this
         */
        public Builder grantRoleAllModels(String role, Permission permission) {
            grants.add(true, Principal.checkRole(role), Objects.requireNonNull(permission, "permission"), Optional.empty());
            return this;
        }

        /** @return the policy: immutable and thread-safe; later grants to this builder do not change it */
        public AccessPolicy build() {
            return grants.build();
        }
    }
}
