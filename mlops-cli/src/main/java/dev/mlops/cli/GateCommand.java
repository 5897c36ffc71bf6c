package dev.mlops.cli;

import picocli.CommandLine.Command;

/** Placeholder. */
@Command(name = "gate", description = "Not yet.")
final class GateCommand implements Runnable {
    @Override
    public void run() {
        throw CliException.usage("not yet");
    }
}
