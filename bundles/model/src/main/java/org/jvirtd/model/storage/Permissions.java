package org.jvirtd.model.storage;

/**
 * {@code <permissions>} of a pool target or volume: mode, owner and group (-1 when unset) and a security label.
 */
public record Permissions(int mode, long owner, long group, String label) {
    public boolean isEmpty() {
        return mode < 0 && owner == -1 && group == -1 && label == null;
    }
}
