package org.jvirtd.storage.util;

import java.util.List;

/**
 * Renders a command line the way libvirt's test suites print one: shell-quoted arguments, with a
 * backslash-newline before every argument that does not continue an option's value.
 */
public final class CommandText {
    private static final String SPECIAL = "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~";

    private CommandText() {
    }

    public static String render(List<String> argv) {
        StringBuilder out = new StringBuilder(quote(argv.get(0)));
        boolean seenOption = false;
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            boolean option = arg.startsWith("-");
            boolean continues = !option && seenOption && optionFrom(argv, i - 1);
            out.append(continues ? " " : " \\\n").append(quote(arg));
            seenOption |= option;
        }
        return out.toString();
    }

    private static boolean optionFrom(List<String> argv, int from) {
        for (int i = from; i < argv.size(); i++) {
            if (argv.get(i).startsWith("-")) {
                return true;
            }
        }
        return false;
    }

    /** Quotes an argument for a POSIX shell when it holds characters the shell would interpret. */
    public static String quote(String arg) {
        if (arg.isEmpty()) {
            return "''";
        }
        for (int i = 0; i < arg.length(); i++) {
            if (SPECIAL.indexOf(arg.charAt(i)) >= 0) {
                return "'" + arg.replace("'", "'\\''") + "'";
            }
        }
        return arg;
    }
}
