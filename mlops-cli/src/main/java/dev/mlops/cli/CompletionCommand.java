package dev.mlops.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mlops completion}: the bash (and zsh) completion script. */
@Command(name = "completion", description = "Print the bash completion script (works in zsh with bashcompinit):"
        + " source <(java -jar mlops.jar completion), with an mlops command on the PATH.")
final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("mlops", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
