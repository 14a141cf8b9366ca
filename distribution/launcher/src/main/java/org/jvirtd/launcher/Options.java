package org.jvirtd.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * libvirtd(8)'s command line: -h/--help, -V/--version, -d/--daemon, -f/--config FILE,
 * -p/--pid-file FILE, -t/--timeout SECONDS, -v/--verbose, -l/--listen; plus jvirtd's --root DIR.
 */
record Options(boolean help, boolean version, boolean daemon, String config, String pidFile, long timeout,
               boolean verbose, boolean listen, String root, List<String> rest) {

    static final String USAGE = """
        Usage:
          jvirtd [options]

        Options:
          -h | --help            Display program help
          -v | --verbose         Verbose messages
          -d | --daemon          Run as a daemon & write PID file
          -l | --listen          Listen for TCP/IP connections
          -t | --timeout <secs>  Exit after timeout period
          -f | --config <file>   Configuration file
          -V | --version         Display version information
          -p | --pid-file <file> Change name of PID file
               --root <dir>      Prefix every system path with <dir> (tests)

        jvirtd manages virtual machines, containers, networks and storage and serves
        libvirt's remote protocol, so virsh and libvirt's bindings talk to it unmodified.
        It runs an interactive Gogo shell (commands virt:*) when started on a terminal.
        """;

    static Options parse(String[] args) {
        boolean help = false;
        boolean version = false;
        boolean daemon = false;
        boolean verbose = false;
        boolean listen = false;
        String config = null;
        String pidFile = null;
        String root = null;
        long timeout = 0;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inlineValue = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                inlineValue = arg.substring(arg.indexOf('=') + 1);
                arg = arg.substring(0, arg.indexOf('='));
            }
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "-d", "--daemon" -> daemon = true;
                case "-v", "--verbose" -> verbose = true;
                case "-l", "--listen" -> listen = true;
                case "-f", "--config" -> config = inlineValue != null ? inlineValue : value(args, ++i, arg);
                case "-p", "--pid-file" -> pidFile = inlineValue != null ? inlineValue : value(args, ++i, arg);
                case "--root" -> root = inlineValue != null ? inlineValue : value(args, ++i, arg);
                case "-t", "--timeout" -> {
                    String text = inlineValue != null ? inlineValue : value(args, ++i, arg);
                    try {
                        timeout = Long.parseLong(text);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("Invalid value for timeout: " + text);
                    }
                    if (timeout <= 0) {
                        throw new IllegalArgumentException("Invalid value for timeout: " + text);
                    }
                }
                default -> {
                    if (arg.startsWith("-D")) {
                        rest.add(arg);
                    } else {
                        throw new IllegalArgumentException("unrecognized option '" + args[i] + "'");
                    }
                }
            }
        }
        return new Options(help, version, daemon, config, pidFile, timeout, verbose, listen, root, rest);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException("option '" + option + "' requires an argument");
        }
        return args[index];
    }
}
