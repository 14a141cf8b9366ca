package org.jvirtd.rpc.access;

/**
 * One of libvirt's access permissions: an object type ("domain", "storage_pool", "connect") and a permission on
 * it ("start", "getattr", "search_domains").
 */
public record Permission(String object, String name) {
    /** libvirt's polkit action prefix for API permissions. */
    public static final String ACTION_PREFIX = "org.libvirt.api.";

    /** "domain:start" as the table writes it. */
    public static Permission parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not object:permission: " + text);
        }
        return new Permission(text.substring(0, colon), text.substring(colon + 1));
    }

    /** The polkit action: "org.libvirt.api.storage-pool.search-storage-vols" ('_' becomes '-', as libvirt's). */
    public String actionId() {
        return (ACTION_PREFIX + object + "." + name).replace('_', '-');
    }

    public boolean onConnect() {
        return object.equals("connect");
    }

    @Override
    public String toString() {
        return object + ":" + name;
    }
}
