package dev.tarn.lake.cli;

/**
 * The command line itself is wrong (unknown command or option, missing or malformed argument): exit
 * code 2.
 */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
