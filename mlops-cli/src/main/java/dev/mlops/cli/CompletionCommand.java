package dev.mlops.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mlops completion [bash|zsh]}: the shell completion script, picocli's. It is one script for both
 * shells: sourced in zsh, it loads {@code compinit} (unless loaded already) and {@code bashcompinit} and
 * runs its bash functions through them, so the zsh form is the same script under a header that says how to
 * install it.
 */
@Command(name = "completion", description = {"Print the completion script for bash (the default) or zsh.",
    "bash: add 'source <(mlops completion)' to ~/.bashrc, or save the script as"
            + " /etc/bash_completion.d/mlops. zsh: add 'source <(mlops completion zsh)' to ~/.zshrc (the script"
            + " loads compinit and bashcompinit). Either way an mlops command must be on the PATH."})
final class CompletionCommand implements Runnable {
    /** The shells a script is printed for. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", defaultValue = "bash",
            description = "bash or zsh (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        String script = AutoComplete.bash("mlops", spec.root().commandLine());
        if (shell == Shell.zsh) {
            out.print(String.join("\n",
                    "# mlops completion for zsh: picocli's bash completion script (below), run by zsh's bashcompinit.",
                    "# Sourced, it loads compinit (unless already loaded) and bashcompinit itself. Install: add",
                    "#",
                    "#   source <(mlops completion zsh)",
                    "#",
                    "# to ~/.zshrc (after your own compinit, if it runs one), or save this output to a file and source",
                    "# that. It completes commands, subcommands, options and enum values, in zsh as in bash.",
                    "",
                    ""));
        }
        out.print(script);
        out.flush();
    }
}
