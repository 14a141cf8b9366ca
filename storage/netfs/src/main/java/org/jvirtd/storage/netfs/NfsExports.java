package org.jvirtd.storage.netfs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.model.storage.PoolSource;

/**
 * An NFS server's exports as netfs pool sources: the {@code showmount} command line that lists them and the
 * reading of its lines ({@code /export/dir  clients}), each export a source with the host, the directory and
 * the nfs format, as libvirt lists them.
 */
final class NfsExports {
    /** An export line: the directory (which may hold spaces), blanks, then the client list. */
    private static final Pattern EXPORT = Pattern.compile("^(/.*\\S) +\\S+$");

    private NfsExports() {
    }

    static List<String> argv(String host) {
        return List.of("showmount", "--no-headers", "--exports", host);
    }

    static List<PoolSource> parse(String host, String showmountOutput) {
        List<PoolSource> sources = new ArrayList<>();
        for (String line : showmountOutput.lines().toList()) {
            Matcher m = EXPORT.matcher(line);
            if (m.matches()) {
                sources.add(new PoolSource(List.of(new PoolSource.Host(host, null)), List.of(), m.group(1), null, null,
                    null, "nfs", null, null, null, null));
            }
        }
        return sources;
    }
}
