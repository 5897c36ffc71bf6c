package dev.mlops.cli;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.registry.Environment;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.io.OutputStreamWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code mlops} command: the model registry, the audit log, drift checks and promotion gates from a
 * shell, a CI job or a cron line.
 *
 * <p>Exit codes, the same for every command: {@value #OK} when the command did what was asked and every
 * check it ran passed; {@value #CHECK_FAILED} when it ran and a check said no (a version or a log that does
 * not verify, fsck findings, drift detected, a gate that rejects, a compare-and-set whose expectation did
 * not hold); {@value #USAGE} when it could not run as asked (a wrong command line, an input that is
 * missing or unreadable, a model that does not exist, a store that fails). Errors go to stderr, one line
 * naming the command and the input; results to stdout, as text or, with {@code --json}, one JSON document.
 *
 * <pre>{@code
 * java -jar mlops-cli/target/mlops.jar models --registry /srv/mlops/registry
 * }</pre>
 */
@Command(name = "mlops", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Mlops.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Model registry, audit log, drift checks and promotion gates of the mlops library, from a shell,"
                + " a CI job or a cron line.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok: done, and every check passed",
            "1:a check failed: not verified, fsck findings, drift, gate rejected, expectation not met",
            "2:usage or error: wrong command line, unreadable input, unknown model, store failure"},
        subcommands = {
            ModelsCommand.class, VersionsCommand.class, ShowCommand.class, AliasCommand.class,
            RollbackCommand.class, AnnotateCommand.class, DeleteCommand.class,
            VerifyCommand.class, FsckCommand.class, GcCommand.class,
            AuditCommand.class, DriftCommand.class, GateCommand.class, CompletionCommand.class})
public final class Mlops implements Runnable {
    /** Done, and every check passed. */
    public static final int OK = 0;
    /** The command ran and a check said no. */
    public static final int CHECK_FAILED = 1;
    /** The command could not run as asked. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a command");
    }

    /**
     * Runs the command line and exits with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs one command line, writing to the given streams.
     *
     * @param args the arguments
     * @param out where results go
     * @param err where errors go
     * @return the exit code
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** @return the whole command tree, its streams and its exit code mapping set */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Mlops());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Mlops::usageError);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> failure(e, cmd));
        return cl;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name + " --help' for more information.");
        return USAGE;
    }

    private static int failure(Exception e, CommandLine cmd) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message(e));
        if (System.getenv("MLOPS_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return exitCode(e);
    }

    /** @return the exit code an exception from a command means */
    static int exitCode(Exception e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof ConcurrentUpdateException || e instanceof ConflictException
                || e instanceof IntegrityException) {
            return CHECK_FAILED;
        }
        return USAGE;
    }

    /** @return the exception's message, with its causes' where they add what failed underneath */
    static String message(Throwable e) {
        StringBuilder b = new StringBuilder(text(e));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            // a cause whose message is already said (a library's redacted copy of a driver's) adds nothing
            String m = text(cause);
            String said = cause.getMessage() == null || cause.getMessage().isBlank() ? m : cause.getMessage();
            if (!b.toString().contains(said)) {
                b.append(": ").append(m);
            }
        }
        return b.toString();
    }

    private static String text(Throwable e) {
        String m = e.getMessage();
        boolean ours = e instanceof CliException || e instanceof dev.mlops.core.MlopsException
                || e instanceof IllegalArgumentException || e instanceof UncheckedIOException;
        if (m == null || m.isBlank()) {
            return e.getClass().getName();
        }
        return ours ? m : e.getClass().getSimpleName() + ": " + m;
    }

    /** The version of the mlops library this command was built with. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mlops " + Environment.libraryVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
