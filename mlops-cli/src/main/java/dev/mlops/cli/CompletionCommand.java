package dev.mlops.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mlops completion}: the bash (and zsh) completion script. */
@Command(name = "completion", description = {"Print the bash completion script.",
    "With an mlops command on the PATH: source <(mlops completion). Works in zsh after bashcompinit."})
final class CompletionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("mlops", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
