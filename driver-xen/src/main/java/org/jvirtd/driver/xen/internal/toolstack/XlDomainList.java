package org.jvirtd.driver.xen.internal.toolstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The domains plain {@code xl list} shows: name, domain id, memory (MiB), online vCPUs, the six state letters
 * (r running, b blocked, p paused, s shut down, then the shutdown reason letter, d dying) and CPU seconds.
 */
public record XlDomainList(Map<String, Entry> byName) {
    private static final Pattern ROW =
        Pattern.compile("^(.*\\S)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([-a-zA-Z?]{6})\\s+(\\d+(?:\\.\\d+)?)(?:\\s.*)?$");

    /** One row; {@code state} is xl's six letters, for example "-b----" or "--p---". */
    public record Entry(String name, int domid, long memMiB, int vcpus, String state, double cpuSeconds) {
        public boolean paused() {
            return state.charAt(2) == 'p';
        }

        /** Shut down but still there (xl's 's'): the reason letter follows (r reboot, c crash, ...). */
        public boolean shutDown() {
            return state.charAt(3) == 's';
        }

        public boolean crashed() {
            return shutDown() && state.charAt(4) == 'c';
        }

        public boolean dying() {
            return state.charAt(5) == 'd';
        }

        public long cpuTimeNanos() {
            return Math.round(cpuSeconds * 1e9);
        }
    }

    public static XlDomainList parse(String text) {
        Map<String, Entry> result = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                result.put(m.group(1), new Entry(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
                    Integer.parseInt(m.group(4)), m.group(5), Double.parseDouble(m.group(6))));
            }
        }
        return new XlDomainList(Map.copyOf(result));
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
