package dev.mlops.cli;

import picocli.CommandLine.Option;

/** {@code --json}: the command's result as one JSON document on stdout, for scripts. */
final class JsonOption {
    @Option(names = "--json", description = "Print the result as one JSON document, for scripts.")
    boolean json;
}
