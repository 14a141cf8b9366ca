package org.jvirtd.net.firewall;

import java.util.List;

/**
 * Renders an argv the way libvirt's command-to-string does with line breaks: options start new lines,
 * their values stay on the option's line, and arguments needing it are shell-quoted.
 */
final class CommandLines {
    private static final String SPECIAL = "\t\r\n !\"#$&'()*;<>?[\\]^`{|}~";

    private CommandLines() {
    }

    static String render(List<String> argv) {
        StringBuilder out = new StringBuilder(argv.get(0));
        boolean seenOption = false;
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            boolean optionFollows = false;
            for (int j = i - 1; j < argv.size(); j++) {
                optionFollows |= argv.get(j).startsWith("-");
            }
            boolean sameLine = !arg.startsWith("-") && seenOption && optionFollows;
            out.append(sameLine ? " " : " \\\n").append(quote(arg));
            seenOption |= arg.startsWith("-");
        }
        return out.append('\n').toString();
    }

    static String quote(String arg) {
        boolean needs = arg.isEmpty();
        for (char ch : arg.toCharArray()) {
            needs |= SPECIAL.indexOf(ch) >= 0;
        }
        return needs ? "'" + arg.replace("'", "'\\''") + "'" : arg;
    }
}
