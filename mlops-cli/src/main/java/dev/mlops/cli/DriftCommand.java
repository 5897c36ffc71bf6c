package dev.mlops.cli;

import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "drift", description = "Not yet.")
final class DriftCommand implements Runnable {
    @Override
    public void run() {
        throw CliException.usage("not yet");
    }
}
