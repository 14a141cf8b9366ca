package org.jvirtd.model.domain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The cache and memory bandwidth allocations of {@code <cputune>}: vCPU sets clipped to the domain's vCPUs,
 * collisions rejected, allocations before monitors.
 */
final class CpuTuneRules {
    private static final ErrorDomain D = ErrorDomain.DOMAIN;

    private CpuTuneRules() {
    }

    static void apply(XmlNode cputune, int vcpus) {
        if (cputune == null) {
            return;
        }
        for (String kind : List.of("cachetune", "memorytune")) {
            List<BitSet> seen = new ArrayList<>();
            for (XmlNode tune : cputune.children(kind)) {
                BitSet set = parseSet(kind, tune.attr("vcpus"));
                set.clear(vcpus, Math.max(vcpus, set.length()));
                if (set.isEmpty()) {
                    cputune.removeIf(c -> c == tune);
                    continue;
                }
                for (BitSet other : seen) {
                    if (other.intersects(set)) {
                        throw Errors.xml(D, "Overlapping vcpus in " + kind + "s");
                    }
                }
                seen.add(set);
                tune.set("vcpus", format(set));
                if (kind.equals("cachetune")) {
                    checkCaches(tune);
                    tune.children().sort((a, b) -> Boolean.compare(a.is("monitor"), b.is("monitor")));
                } else {
                    checkNodes(tune);
                    tune.children().sort((a, b) -> Boolean.compare(a.is("monitor"), b.is("monitor")));
                }
            }
        }
    }

    private static void checkCaches(XmlNode tune) {
        List<String> taken = new ArrayList<>();
        for (XmlNode cache : tune.children("cache")) {
            String key = required(cache, "id") + "/" + required(cache, "level");
            String type = required(cache, "type");
            if (!List.of("both", "code", "data").contains(type)) {
                throw Errors.xml(D, "Invalid value for attribute 'type' in element 'cache': '" + type + "'.");
            }
            for (String t : type.equals("both") ? List.of("code", "data", "both") : List.of(type, "both")) {
                if (taken.contains(key + "/" + t)) {
                    throw Errors.xml(D, "Cache allocation for cache id '" + cache.attr("id") + "' level '"
                        + cache.attr("level") + "' collides with an earlier one");
                }
            }
            taken.add(key + "/" + type);
        }
    }

    private static String required(XmlNode element, String attribute) {
        String value = element.attr(attribute);
        if (value == null) {
            throw Errors.xml(D, "Missing required attribute '" + attribute + "' in element '" + element.name() + "'");
        }
        return value;
    }

    private static void checkNodes(XmlNode tune) {
        List<String> ids = new ArrayList<>();
        for (XmlNode node : tune.children("node")) {
            if (ids.contains(node.attr("id"))) {
                throw Errors.xml(D, "Memory bandwidth allocation for node '" + node.attr("id")
                    + "' collides with an earlier one");
            }
            ids.add(node.attr("id"));
        }
    }

    /**
     * libvirt's bitmap syntax: "0-3,^2,8"; a range that runs backwards or past bit 16383 (libvirt 9.0's bound,
     * {@link CpuSets#LIMIT}) is invalid.
     *
     * @param kind cachetune or memorytune, for libvirt's error message
     */
    static BitSet parseSet(String kind, String text) {
        if (text == null) {
            throw Errors.xml(D, "Missing " + kind + " attribute 'vcpus'");
        }
        try {
            return CpuSets.parse(text);
        } catch (NumberFormatException e) {
            throw Errors.xml(D, "Invalid " + kind + " attribute 'vcpus' value '" + text + "'");
        }
    }

    static String format(BitSet set) {
        return CpuSets.format(set);
    }
}
