package dev.mlops.core.security;

import dev.mlops.core.Texts;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling: a user, a service account or a pipeline, with the roles an {@link AccessPolicy} may
 * grant permissions to. The application authenticates the caller (a token, a certificate, a session)
 * and makes the principal; this library only decides what it may do.
 *
 * <pre>{@code
 * Principal alice = Principal.of("alice", "data-science", "on-call");
 * ModelStore hers = guardedStore.asUser(alice);
 * }</pre>
 *
 * <p>The name is what audit records name as their actor, so it follows the same text rules
 * ({@link Texts}): one line without control characters, well-formed Unicode, 1 to 200 characters.
 * Roles are one line of 1 to 100 characters each, at most {@value #MAX_ROLES} of them, kept sorted.
 *
 * @param name who, as the audit log will name them
 * @param roles the groups the principal belongs to; the copy kept is sorted and unmodifiable
 */
public record Principal(String name, Set<String> roles) {
    /** Most roles one principal may carry. */
    public static final int MAX_ROLES = 100;

    /**
     * Validates and copies the parts.
     *
     * @param name who, as the audit log will name them
     * @param roles the groups the principal belongs to; the copy kept is sorted and unmodifiable
     */
    public Principal {
        checkName(name);
        Objects.requireNonNull(roles, "roles");
        if (roles.size() > MAX_ROLES) {
            throw new IllegalArgumentException("principal " + name + " has " + roles.size() + " roles, at most "
                    + MAX_ROLES + " are allowed");
        }
        TreeSet<String> copy = new TreeSet<>();
        for (String role : roles) {
            copy.add(checkRole(role));
        }
        roles = Collections.unmodifiableSortedSet(copy);
    }

    /**
     * @param name who
     * @param roles the principal's roles
     * @return the principal
     */
    public static Principal of(String name, String... roles) {
        return new Principal(name, new TreeSet<>(Arrays.asList(roles)));
    }

    /**
     * @param role a role
     * @return whether the principal has it
     */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    static String checkName(String name) {
        return Texts.wellFormed("principal name", Texts.line("principal name", name, 1, 200));
    }

    static String checkRole(String role) {
        return Texts.wellFormed("role", Texts.line("role", role, 1, 100));
    }
}
