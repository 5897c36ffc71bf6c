/**
 * Access control and keys: who may do what to which model, decided by an
 * {@link dev.mlops.core.security.AccessPolicy} over {@link dev.mlops.core.security.Principal}s and the
 * three {@link dev.mlops.core.security.Permission} levels (READ, EDIT, MANAGE, after MLflow's), enforced
 * by {@link dev.mlops.core.security.AccessControlledModelStore} around any model store, with every
 * decision in an audit log; and {@link dev.mlops.core.security.KeyProvider}, where a store gets its
 * encryption keys. Entry points: {@link dev.mlops.core.security.AccessPolicy#builder()},
 * {@link dev.mlops.core.security.AccessControlledModelStore#asUser(dev.mlops.core.security.Principal)}.
 *
 * <pre>{@code
 * AccessControlledModelStore guarded = new AccessControlledModelStore(store,
 *         AccessPolicy.builder().grantRole("risk-team", Permission.EDIT, "fraud-scorer").build(),
 *         auditLog, RequestContext::principal);
 * guarded.asUser(Principal.of("alice", "risk-team")).setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6));
 * }</pre>
 */
package dev.mlops.core.security;
