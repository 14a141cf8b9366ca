package org.jvirtd.driver.xen.internal.toolstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.json.Json;

/**
 * {@code xl list -l}: a JSON array with one object per domain, its "domid" and the "config" libxl keeps for it
 * (libxl_domain_config: c_info with type, name and uuid, b_info, devices). How domains running before a daemon
 * restart are found again, by UUID.
 */
public record XlLongList(List<Domain> domains) {
    /** A running domain as libxl recorded it. */
    public record Domain(int domid, String name, UUID uuid, String type) {
    }

    public static XlLongList parse(String text) {
        Object root;
        try {
            root = Json.read(text.strip().isEmpty() ? "[]" : text);
        } catch (RuntimeException e) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.LIBXL,
                "cannot read the JSON of 'xl list -l': " + e.getMessage());
        }
        List<Domain> result = new ArrayList<>();
        if (root instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> entry && entry.get("domid") instanceof Number domid
                    && entry.get("config") instanceof Map<?, ?> config
                    && config.get("c_info") instanceof Map<?, ?> info) {
                    Object uuid = info.get("uuid");
                    result.add(new Domain(domid.intValue(), String.valueOf(info.get("name")),
                        uuid instanceof String s ? UUID.fromString(s) : null,
                        info.get("type") instanceof String t ? t : "pv"));
                }
            }
        }
        return new XlLongList(List.copyOf(result));
    }

    public Optional<Domain> find(UUID uuid) {
        return domains.stream().filter(d -> uuid.equals(d.uuid())).findFirst();
    }
}
