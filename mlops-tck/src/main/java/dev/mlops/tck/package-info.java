/**
 * Contract kits. Extend one in a test and implement its factory, and every rule of the interface runs
 * against your implementation: {@link dev.mlops.tck.ModelStoreContract} for model stores
 * ({@code newStore()}), {@link dev.mlops.tck.AuditLogContract} for audit logs ({@code newLog()}),
 * {@link dev.mlops.tck.MonitorContract} for monitors ({@code newMonitor(Setup)}).
 *
 * <pre>{@code
 * class MyStoreTest extends ModelStoreContract {         // test scope: dev.mlops:mlops-tck
 *     @Override
 *     protected ModelStore newStore() {
 *         return new MyStore(freshDatabase());             // a new, empty store for each test
 *     }
 * }
 * }</pre>
 */
package dev.mlops.tck;
