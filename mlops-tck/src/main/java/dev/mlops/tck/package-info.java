/**
 * Contract kits. Extend one in a test and implement its factory, and every rule of the interface runs
 * against your implementation: {@link dev.mlops.tck.ModelStoreContract} for model stores
 * ({@code newStore()}), {@link dev.mlops.tck.AuditLogContract} for audit logs ({@code newLog()}).
 */
package dev.mlops.tck;
