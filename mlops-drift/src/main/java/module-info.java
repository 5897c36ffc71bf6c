/**
 * mlops drift: two-sample tests and distances, dataset-level drift, streaming change detectors and
 * drift reports, implementing the contracts of {@code dev.mlops.core.drift}.
 */
module dev.mlops.drift {
    requires transitive dev.mlops.core;

    exports dev.mlops.drift;
    exports dev.mlops.drift.stream;
    exports dev.mlops.drift.report;
}
