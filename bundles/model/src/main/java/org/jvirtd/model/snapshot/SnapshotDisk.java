package org.jvirtd.model.snapshot;

/**
 * One {@code <disk>} of a snapshot: the guest disk it names (target or source path), how it is taken
 * ({@code internal}, {@code external}, {@code no}, {@code manual}, or null for the driver's default), and for
 * an external snapshot the new overlay's source type, file and format.
 */
public record SnapshotDisk(String name, String snapshot, String type, String file, String driverType) {
    public SnapshotDisk withSnapshot(String how) {
        return new SnapshotDisk(name, how, type, file, driverType);
    }

    public SnapshotDisk withOverlay(String path, String format) {
        return new SnapshotDisk(name, snapshot, type == null ? "file" : type, path, format);
    }

    public boolean isExternal() {
        return "external".equals(snapshot);
    }

    public boolean isInternal() {
        return "internal".equals(snapshot);
    }
}
