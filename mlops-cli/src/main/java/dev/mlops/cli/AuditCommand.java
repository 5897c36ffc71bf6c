package dev.mlops.cli;

import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "audit", description = "Not yet.")
final class AuditCommand implements Runnable {
    @Override
    public void run() {
        throw CliException.usage("not yet");
    }
}
