package org.jvirtd.platform.conf;

import java.util.List;

/**
 * One value of a libvirt-style config file: a quoted string, an integer or a list of strings.
 */
public sealed interface ConfValue {
    /** The line the key was set on, for error messages. */
    int line();

    record Text(String value, int line) implements ConfValue {
    }

    record Number(long value, int line) implements ConfValue {
    }

    record Strings(List<String> values, int line) implements ConfValue {
        public Strings {
            values = List.copyOf(values);
        }
    }
}
