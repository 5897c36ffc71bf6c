package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
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
        assertEquals(script, Jar.run(tmp, "completion", "bash").exits(0).quiet().out());
        String zsh = Jar.run(tmp, "completion", "zsh").exits(0).quiet().out();
        assertTrue(zsh.startsWith("# mlops completion for zsh: "), zsh);
        assertTrue(zsh.endsWith(script), "the zsh form is the same script under its header");
        assertContains(Jar.run(tmp, "completion", "fish").exits(2).err(), "Invalid value", "bash, zsh");

        // the script lists each command's options, so it shows which take --json: all but completion, as the
        // README says (a command that only groups subcommands, such as alias, is not one)
        Map<String, String> functions = new TreeMap<>();
        String[] chunks = script.split("\nfunction _picocli_mlops");
        for (int i = 1; i < chunks.length; i++) {
            functions.put(chunks[i].substring(0, chunks[i].indexOf("()")), chunks[i]);
        }
        List<String> commands = functions.keySet().stream()
                .filter(f -> functions.keySet().stream().noneMatch(g -> g.startsWith(f + "_"))).toList();
        assertTrue(commands.containsAll(List.of("_models", "_alias_set", "_audit_keygen", "_drift", "_completion")),
                commands::toString);
        assertEquals(List.of("_completion"), commands.stream().filter(c -> !functions.get(c).contains("'--json'"))
                .toList(), "the commands without --json");
    }

    /** @return the program's path, when it is on the PATH */
    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
    }

    /** Runs a program with arguments in {@code tmp}, stdin empty; stdout and stderr together. */
    private Jar.Result exec(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 60 s: " + Files.readString(out));
        }
        return new Jar.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), "");
    }

    /**
     * What bash's completion function offers for a command line whose last word is being completed, as bash
     * calls it on TAB ({@code COMP_WORDS}, {@code COMP_CWORD}, {@code COMP_LINE}, {@code COMP_POINT}): one
     * candidate a line.
     */
    private List<String> bashCompletes(Path bash, Path script, String... words) throws Exception {
        StringBuilder quoted = new StringBuilder();
        for (String w : words) {
            quoted.append(" '").append(w).append("'");
        }
        String program = "source '" + script + "' 2>/dev/null\n"
                + "COMP_WORDS=(" + quoted + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_mlops mlops \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\" 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Jar.Result r = exec(List.of(bash.toString(), "--noprofile", "--norc", "-c", program)).exits(0);
        List<String> out = new ArrayList<>(r.out().lines().filter(l -> !l.isEmpty()).toList());
        out.sort(null);
        return out;
    }

    @Test
    void completion_bashScriptParses_andCompletesCommandsSubcommandsOptionsAndValues() throws Exception {
        Optional<Path> bash = onPath("bash");
        Assumptions.assumeTrue(bash.isPresent(), "no bash on the PATH");
        Path script = tmp.resolve("mlops.bash");
        Files.writeString(script, Jar.run(tmp, "completion").exits(0).quiet().out(), StandardCharsets.UTF_8);
        assertEquals("", exec(List.of(bash.get().toString(), "-n", script.toString())).exits(0).out(),
                "bash -n: the script parses");

        assertEquals(List.of("alias"), bashCompletes(bash.get(), script, "mlops", "al"));
        assertEquals(List.of("alias", "annotate", "audit"), bashCompletes(bash.get(), script, "mlops", "a"));
        assertEquals(List.of("history", "remove", "set"), bashCompletes(bash.get(), script, "mlops", "alias", ""));
        assertEquals(List.of("--dry-run"), bashCompletes(bash.get(), script, "mlops", "gc", "--dr"));
        assertEquals(List.of("--audit-log", "--audit-schema"), bashCompletes(bash.get(), script, "mlops", "gc",
                "--audit-"));
        assertEquals(List.of("zsh"), bashCompletes(bash.get(), script, "mlops", "completion", "z"));
        assertEquals(List.of(), bashCompletes(bash.get(), script, "mlops", "nosuch"));
    }

    /**
     * zsh, driven as a user would drive it: an interactive shell in a pseudo-terminal (zsh's own zpty module)
     * sources the zsh form and is sent {@code mlops al} and a TAB; the line becomes {@code mlops alias}.
     */
    @Test
    void completion_zshForm_completesInAnInteractiveZsh() throws Exception {
        Optional<Path> zsh = onPath("zsh");
        Assumptions.assumeTrue(zsh.isPresent(), "no zsh on the PATH");
        Path script = tmp.resolve("mlops.zsh");
        Files.writeString(script, Jar.run(tmp, "completion", "zsh").exits(0).quiet().out(), StandardCharsets.UTF_8);
        Path home = Files.createDirectories(tmp.resolve("home")); // compinit writes its dump file there
        String driver = String.join("\n",
                "zmodload zsh/zpty || exit 3",
                "export HOME='" + home + "' ZDOTDIR='" + home + "'",
                "await() {  # reads the terminal until its output matches the pattern, for up to 20 s",
                "  local acc= chunk i",
                "  for i in {1..200}; do",
                "    while zpty -r -t z chunk; do acc+=$chunk; done",
                "    [[ $acc == ${~1} ]] && return 0",
                "    sleep 0.1",
                "  done",
                "  print -r -- \"timed out waiting for $1 in: ${(q)acc}\"",
                "  return 1",
                "}",
                "zpty z 'zsh -f -i'",
                // the terminal's echo of this line shows $((6*7)); only running it prints 42
                "zpty -w z 'PS1=\"> \"; source " + script + "; print READY-$((6*7))'",
                "await '*READY-42*' || exit 4",
                "zpty -n -w z $'mlops al\\t'",
                "await '*mlops alias*' || exit 5",
                "print COMPLETED",
                "zpty -d z",
                "");
        Path file = tmp.resolve("driver.zsh");
        Files.writeString(file, driver, StandardCharsets.UTF_8);
        Jar.Result r = exec(List.of(zsh.get().toString(), "-f", file.toString()));
        assertEquals("COMPLETED\n", r.out(), r::toString);
        assertEquals(0, r.exitCode(), r::toString);
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
