package io.diveteacher.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments, read the one way every command reads them: flags ({@code --json}), options with a value
 * ({@code --top-k 8}), and operands; {@code --name=value} is a Spring property for the application and is skipped.
 *
 * @param flags the flags given
 * @param options the options given, with their values
 * @param operands everything else, in order
 */
public record CommandLine(Set<String> flags, Map<String, String> options, List<String> operands) {

    /**
     * @param knownFlags the flags the command takes
     * @param knownOptions the options with a value it takes
     * @param usage its usage line, appended to every error
     * @throws IllegalArgumentException for an unknown option or an option without its value
     */
    public static CommandLine parse(List<String> args, Set<String> knownFlags, Set<String> knownOptions, String usage) {
        Set<String> flags = new HashSet<>();
        Map<String, String> options = new HashMap<>();
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (knownFlags.contains(arg)) {
                flags.add(arg);
            } else if (knownOptions.contains(arg)) {
                if (i + 1 == args.size()) {
                    throw new IllegalArgumentException(arg + " needs a value\n" + usage);
                }
                options.put(arg, args.get(++i));
            } else if (arg.startsWith("--") && arg.contains("=")) {
                continue;
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + arg + "\n" + usage);
            } else {
                operands.add(arg);
            }
        }
        return new CommandLine(flags, options, operands);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The Spring properties among the arguments, for the application's context. */
    public static String[] springProperties(List<String> args) {
        return args.stream().filter(a -> a.startsWith("--") && a.contains("=")).toArray(String[]::new);
    }

    /** What a command prints and its exit code: 0 it ran, 1 it could not finish, 2 a usage error. */
    public record Outcome(int exitCode, String output) {
    }
}
