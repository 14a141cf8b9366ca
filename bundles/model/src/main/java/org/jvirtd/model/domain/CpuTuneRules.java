package org.jvirtd.model.domain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.XmlNode;

/**
 * The rules of {@code <cputune>}: libvirt's element order, pins and schedulers per vCPU or I/O thread by id, and
 * the cache and memory bandwidth allocations (vCPU sets clipped to the domain's vCPUs, collisions rejected,
 * allocations before monitors).
 */
final class CpuTuneRules {
    private static final ErrorDomain D = ErrorDomain.DOMAIN;

    private CpuTuneRules() {
    }

    /** The children of {@code <cputune>} in libvirt's formatter order. */
    private static final List<String> ORDER = List.of("shares", "period", "quota", "global_period", "global_quota",
        "emulator_period", "emulator_quota", "iothread_period", "iothread_quota", "vcpupin", "emulatorpin",
        "iothreadpin", "vcpusched", "iothreadsched", "emulatorsched", "cachetune", "memorytune");

    static void apply(XmlNode cputune, int vcpus) {
        if (cputune == null) {
            return;
        }
        perThreadScheduler(cputune, "vcpusched", "vcpus");
        perThreadScheduler(cputune, "iothreadsched", "iothreads");
        byId(cputune, "vcpupin", "vcpu");
        byId(cputune, "iothreadpin", "iothread");
        DomainCanonicalizer.sortByOrder(cputune, ORDER);
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

    /**
     * libvirt keeps a scheduler per vCPU or I/O thread and writes one element for each, by id: a set such as
     * {@code vcpus='0-1'} becomes one element per member; a later element wins for an id it repeats.
     */
    private static void perThreadScheduler(XmlNode cputune, String kind, String attribute) {
        List<XmlNode> elements = cputune.children(kind);
        if (elements.isEmpty()) {
            return;
        }
        java.util.TreeMap<Integer, XmlNode> byThread = new java.util.TreeMap<>();
        for (XmlNode element : elements) {
            String text = element.attr(attribute);
            BitSet ids;
            try {
                ids = text == null ? null : CpuSets.parse(text);
            } catch (NumberFormatException e) {
                ids = null;
            }
            if (ids == null) {
                return; // left as written: validation reports it
            }
            ids.stream().forEach(id -> {
                XmlNode one = element.deepCopy();
                one.set(attribute, Integer.toString(id));
                byThread.put(id, one);
            });
        }
        int at = cputune.children().indexOf(elements.get(0));
        cputune.removeIf(c -> c.is(kind));
        cputune.children().addAll(at, byThread.values());
    }

    /** Pins are kept per vCPU or I/O thread and written by id. */
    private static void byId(XmlNode cputune, String kind, String attribute) {
        List<XmlNode> pins = cputune.children(kind);
        if (pins.size() < 2 || pins.stream().anyMatch(p -> p.attr(attribute) == null
            || !p.attr(attribute).strip().matches("\\d{1,9}"))) {
            return;
        }
        int at = cputune.children().indexOf(pins.get(0));
        cputune.removeIf(c -> c.is(kind));
        cputune.children().addAll(at, pins.stream()
            .sorted(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.attr(attribute).strip()))).toList());
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
