package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Help, version, completion and usage errors of the jar. */
@Tag("jar")
class UsageJarTest {
    @TempDir
    Path tmp;

    @Test
    void help_listsEveryCommandAndTheExitCodes() {
        Jar.Result r = Jar.run(tmp, "--help").exits(0).quiet();
        assertTrue(r.out().startsWith("Usage: mlops [-hV] [COMMAND]"), r::toString);
        assertContains(r.out(), "  models ", "  versions ", "  show ", "  alias ", "  rollback ", "  annotate ", "  delete ",
                "  verify ", "  fsck ", "  gc ", "  audit ", "  drift ", "  gate ", "  completion ", "Exit codes:",
                "  0   ok", "  1   a check failed", "  2   usage or error");
        Jar.Result sub = Jar.run(tmp, "audit", "prove", "--help").exits(0).quiet();
        assertContains(sub.out(), "Usage: mlops audit prove ", "--index=I", "--from=FILE", "Exit codes:");
    }

    @Test
    void version_namesTheLibraryVersion() {
        assertTrue(Jar.run(tmp, "--version").exits(0).quiet().out().startsWith("mlops 0."));
    }

    @Test
    void completion_printsABashScriptForEveryCommand() {
        String script = Jar.run(tmp, "completion").exits(0).quiet().out();
        assertContains(script, "complete -F _complete_mlops", "models", "alias", "history", "--registry");
    }

    @Test
    void usageErrors_exit2_withOneLineNamingTheProblem_andNoStackTrace() {
        Jar.Result none = Jar.run(tmp).exits(2);
        assertEquals("mlops: name a command\nTry 'mlops --help' for more information.\n", none.err());

        Jar.Result typo = Jar.run(tmp, "modles").exits(2);
        assertContains(typo.err(), "Unmatched argument at index 0: 'modles'", "Did you mean: mlops models");

        Jar.Result badNumber = Jar.run(tmp, "alias", "set", "-r", ".", "m", "champion", "seven").exits(2);
        assertContains(badNumber.err(), "mlops alias set: Invalid value for positional parameter at index 2 (VERSION): ",
                "'seven'");

        Jar.Result noRegistry = Jar.run(tmp, "models").exits(2);
        assertEquals("mlops models: no registry: give --registry DIR or URL, or set MLOPS_REGISTRY\n", noRegistry.err());

        Jar.Result notARegistry = Jar.run(tmp, "models", "-r", tmp.toString()).exits(2);
        assertEquals("mlops models: registry " + tmp + ": not a model registry (it has no registry.json)\n",
                notARegistry.err());
        assertFalse(Files.exists(tmp.resolve("registry.json")), "a mistyped registry is never created");
    }
}
