package org.jvirtd.driver.qemu.internal.command;

import java.util.List;
import java.util.Map;

/**
 * A QEMU command line: environment, program and arguments, renderable as libvirt renders commands.
 */
public record QemuCommand(Map<String, String> env, String program, List<String> args) {
    private static final String SPECIAL = "\t\r\n !\"#$&'()*;<>?[\\]^`{|}~";

    public QemuCommand {
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        args = List.copyOf(args);
    }

    /** libvirt's "command to string" with line breaks: one variable per line, option pairs on one line. */
    public String render() {
        StringBuilder out = new StringBuilder();
        env.forEach((k, v) -> out.append(k).append('=').append(quote(v)).append(" \\\n"));
        out.append(quote(program));
        boolean seenOption = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            boolean option = arg.startsWith("-");
            boolean optionFollows = false;
            for (int j = i - 1 < 0 ? 0 : i - 1; j < args.size(); j++) {
                if (args.get(j).startsWith("-")) {
                    optionFollows = true;
                    break;
                }
            }
            out.append(' ');
            if (option || !seenOption || !optionFollows) {
                out.append("\\\n");
            }
            out.append(quote(arg));
            seenOption |= option;
        }
        return out.append('\n').toString();
    }

    /** libvirt's "command to string" on one line, as virConnectDomainXMLToNative returns it. */
    public String renderLine() {
        StringBuilder out = new StringBuilder();
        env.forEach((k, v) -> out.append(k).append('=').append(quote(v)).append(' '));
        out.append(quote(program));
        args.forEach(arg -> out.append(' ').append(quote(arg)));
        return out.toString();
    }

    static String quote(String arg) {
        if (arg.isEmpty()) {
            return "''";
        }
        for (char c : arg.toCharArray()) {
            if (SPECIAL.indexOf(c) >= 0) {
                return "'" + arg.replace("'", "'\\''") + "'";
            }
        }
        return arg;
    }
}
