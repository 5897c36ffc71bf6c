package dev.mlops.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidNameException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    @Test
    void anEmptyPolicy_deniesEverything() {
        AccessPolicy none = AccessPolicy.builder().build();
        assertEquals(Optional.empty(), none.permission(Principal.of("root", "admin"), "m"));
        assertFalse(none.allows(Principal.of("root"), Permission.READ, "m"));
    }

    @Test
    void grants_toTheUserAndToEachRole_onTheModelAndOnAll_addUpToTheHighest() {
        AccessPolicy policy = AccessPolicy.builder()
                .grantUser("alice", Permission.READ, "fraud")
                .grantRole("risk", Permission.EDIT, "fraud")
                .grantRoleAllModels("analyst", Permission.READ)
                .grantUserAllModels("admin", Permission.MANAGE)
                .build();

        assertEquals(Optional.of(Permission.READ), policy.permission(Principal.of("alice"), "fraud"));
        assertEquals(Optional.empty(), policy.permission(Principal.of("alice"), "churn"), "a grant on one model only");
        assertEquals(Optional.of(Permission.EDIT), policy.permission(Principal.of("alice", "risk"), "fraud"));
        assertEquals(Optional.of(Permission.READ), policy.permission(Principal.of("carol", "analyst", "risk"), "churn"));
        assertEquals(Optional.of(Permission.EDIT), policy.permission(Principal.of("carol", "analyst", "risk"), "fraud"));
        assertEquals(Optional.of(Permission.MANAGE), policy.permission(Principal.of("admin"), "anything"));
        assertEquals(Optional.empty(), policy.permission(Principal.of("mallory", "admin"), "fraud"),
                "a user name is not a role");
        assertEquals(Optional.empty(), policy.permission(Principal.of("risk"), "fraud"), "nor a role a user name");
    }

    @Test
    void grantingTwice_keepsTheHigherPermission_inEitherOrder() {
        AccessPolicy up = AccessPolicy.builder().grantUser("a", Permission.READ, "m").grantUser("a", Permission.MANAGE, "m").build();
        AccessPolicy down = AccessPolicy.builder().grantUser("a", Permission.MANAGE, "m").grantUser("a", Permission.READ, "m").build();
        assertEquals(Optional.of(Permission.MANAGE), up.permission(Principal.of("a"), "m"));
        assertEquals(Optional.of(Permission.MANAGE), down.permission(Principal.of("a"), "m"));
    }

    @Test
    void allows_comparesLevels() {
        AccessPolicy policy = AccessPolicy.builder().grantUser("a", Permission.EDIT, "m").build();
        assertTrue(policy.allows(Principal.of("a"), Permission.READ, "m"));
        assertTrue(policy.allows(Principal.of("a"), Permission.EDIT, "m"));
        assertFalse(policy.allows(Principal.of("a"), Permission.MANAGE, "m"));
    }

    @Test
    void aBuiltPolicy_doesNotChange_whenTheBuilderGrantsMore() {
        AccessPolicy.Builder b = AccessPolicy.builder().grantUser("a", Permission.READ, "m");
        AccessPolicy built = b.build();
        b.grantUser("a", Permission.MANAGE, "m");
        assertEquals(Optional.of(Permission.READ), built.permission(Principal.of("a"), "m"));
    }

    @Test
    void builder_validatesNames() {
        AccessPolicy.Builder b = AccessPolicy.builder();
        assertThrows(InvalidNameException.class, () -> b.grantUser("a", Permission.READ, "../etc"));
        assertThrows(IllegalArgumentException.class, () -> b.grantUser("a\nb", Permission.READ, "m"));
        assertThrows(IllegalArgumentException.class, () -> b.grantRoleAllModels("", Permission.READ));
        assertThrows(NullPointerException.class, () -> b.grantRole("r", null, "m"));
    }

    @Test
    void permissionLevels_coverThemselvesAndEveryLevelBelow() {
        for (Permission held : Permission.values()) {
            for (Permission needed : Permission.values()) {
                assertEquals(held.ordinal() >= needed.ordinal(), held.covers(needed), held + " covers " + needed);
            }
        }
        assertFalse(Permission.READ.covers(Permission.EDIT));
        assertTrue(Permission.MANAGE.covers(Permission.READ));
    }
}
