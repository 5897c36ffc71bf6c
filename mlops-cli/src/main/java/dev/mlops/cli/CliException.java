package dev.mlops.cli;

/**
 * A command's failure with its exit code and a one-line message that names the input at fault.
 */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * @param message what is wrong with which input
     * @return a failure with exit code {@link Mlops#USAGE}: the command could not run as asked
     */
    static CliException usage(String message) {
        return new CliException(Mlops.USAGE, message, null);
    }

    /**
     * @param message what is wrong with which input
     * @param cause what failed underneath
     * @return a failure with exit code {@link Mlops#USAGE}
     */
    static CliException usage(String message, Throwable cause) {
        return new CliException(Mlops.USAGE, message, cause);
    }

    /** @return the exit code */
    int exitCode() {
        return exitCode;
    }
}
