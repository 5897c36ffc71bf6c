/**
 * mlops core: the small interfaces (model store, monitor, drift detection, audit log), their value
 * types and in-memory implementations.
 */
// "module": the qualified export names modules built after this one; "requires-automatic": Micrometer
// (optional, for MonitorMeters) ships no module descriptor, only the Automatic-Module-Name micrometer.core
@SuppressWarnings({"module", "requires-automatic"})
module dev.mlops.core {
    requires org.slf4j;
    requires com.fasterxml.jackson.core;
    requires static micrometer.core;
    requires transitive java.net.http;

    exports dev.mlops.core;
    exports dev.mlops.core.drift;
    exports dev.mlops.core.drift.dataset;
    exports dev.mlops.core.registry;
    exports dev.mlops.core.monitor;
    exports dev.mlops.core.monitor.micrometer;
    exports dev.mlops.core.audit;
    exports dev.mlops.core.security;
    exports dev.mlops.core.serving;
    exports dev.mlops.core.lifecycle;
    exports dev.mlops.core.notify;
    exports dev.mlops.core.internal to dev.mlops.drift, dev.mlops.registry.fs, dev.mlops.registry.jdbc;
}
