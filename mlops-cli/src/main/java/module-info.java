/**
 * The {@code mlops} command: the model registry, the audit log, drift checks and promotion gates from a
 * shell, a CI job or a cron line. An application, not a library: it exports nothing.
 */
module dev.mlops.cli {
    requires dev.mlops.registry.fs;
    requires dev.mlops.registry.jdbc;
    requires dev.mlops.drift;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;

    // picocli sets the annotated option fields of the commands reflectively
    opens dev.mlops.cli to info.picocli;
}
