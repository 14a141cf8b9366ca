package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;
import org.jvirtd.model.xml.SafeXml;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses and formats libvirt's network filter XML as libvirt 9.0 does (virNWFilterDefParse/virNWFilterDefFormat):
 * its checks and messages, its defaults (chain root, the chain's priority, rule priority 500), what it drops
 * silently (unknown attributes and elements, a rule's second protocol element, a bad rule priority), and its
 * canonical form.
 */
final class FilterXml {
    static final String LABEL = "nwfilter_definition";
    private static final List<String> ACTIONS = List.of("drop", "accept", "reject", "return", "continue");
    private static final List<String> DIRECTIONS = List.of("in", "out", "inout");
    /** Chain name prefixes and their default priorities. */
    private static final Map<String, Integer> CHAIN_PRIORITIES = new LinkedHashMap<>();

    static {
        // in libvirt's order of chain prefixes; stp has no default priority in libvirt 9.0's table (so 0)
        CHAIN_PRIORITIES.put("mac", -800);
        CHAIN_PRIORITIES.put("vlan", -750);
        CHAIN_PRIORITIES.put("stp", 0);
        CHAIN_PRIORITIES.put("arp", -500);
        CHAIN_PRIORITIES.put("rarp", -400);
        CHAIN_PRIORITIES.put("ipv4", -700);
        CHAIN_PRIORITIES.put("ipv6", -600);
    }

    private FilterXml() {
    }

    static FilterDef parse(String xml) {
        Element root = SafeXml.parseRoot(xml, "filter", ErrorDomain.NWFILTER, LABEL);
        String name = attr(root, "name");
        if (name == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "filter has no name");
        }
        String chain = attr(root, "chain");
        if (chain == null || chain.isEmpty()) {
            chain = "root";
        }
        int priority = chainPriority(chain, attr(root, "priority"));
        UUID uuid = null;
        List<FilterDef.Entry> entries = new ArrayList<>();
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) {
                continue;
            }
            switch (e.getTagName()) {
                case "uuid" -> uuid = uuid(e.getTextContent().strip());
                case "rule" -> entries.add(rule(e));
                case "filterref" -> entries.add(filterRef(e));
                default -> { }
            }
        }
        return new FilterDef(name, uuid, chain, priority, List.copyOf(entries));
    }

    /**
     * The protocol prefix a chain name starts with (mac, vlan, stp, arp, rarp, ipv4, ipv6, in that order, as
     * libvirt matches them: "macfoo", "mac_x" and "mac-x" are mac chains), or null.
     */
    static String chainPrefix(String chain) {
        for (String prefix : CHAIN_PRIORITIES.keySet()) {
            if (chain.startsWith(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    private static int chainPriority(String chain, String given) {
        Integer byPrefix = null;
        if (!chain.equals("root")) {
            if (chain.length() > 12) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NWFILTER,
                    "Name of chain is longer than 12 characters");
            }
            if (!chain.matches("[A-Za-z0-9_.:-]+")) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NWFILTER,
                    "Chain name contains invalid characters");
            }
            if (chain.startsWith("root")) {
                // libvirtd 9.0 refuses "rootX" without saying why
                throw VirtException.unprefixed(ErrorCode.INTERNAL_ERROR, ErrorDomain.NONE,
                    "An error occurred, but the cause is unknown");
            }
            String prefix = chainPrefix(chain);
            if (prefix == null) {
                throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NWFILTER, "Invalid chain name '" + chain
                    + "'. Please use a chain name called 'root' or any of the following prefixes: mac, vlan, stp,"
                    + " arp, rarp, ipv4, ipv6");
            }
            byPrefix = CHAIN_PRIORITIES.get(prefix);
        }
        if (given == null) {
            return byPrefix == null ? 0 : byPrefix;
        }
        int priority;
        try {
            priority = Integer.parseInt(given);
        } catch (NumberFormatException e) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NWFILTER, "Could not parse chain priority '"
                + given + "'");
        }
        if (priority < -1000 || priority > 1000) {
            throw new VirtException(ErrorCode.INVALID_ARG, ErrorDomain.NWFILTER, "Priority '" + priority
                + "' is outside valid range of [-1000,1000]");
        }
        return priority;
    }

    static UUID uuid(String text) {
        String hex = text.replace("-", "");
        if (!hex.matches("[0-9a-fA-F]{32}")) {
            throw new VirtException(ErrorCode.XML_ERROR, ErrorDomain.NWFILTER, "malformed uuid element");
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static FilterDef.Rule rule(Element e) {
        String action = attr(e, "action");
        String direction = attr(e, "direction");
        if (action == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "rule node requires action attribute");
        }
        if (!ACTIONS.contains(action)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NWFILTER,
                "unknown rule action attribute value");
        }
        if (direction == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER,
                "rule node requires direction attribute");
        }
        if (!DIRECTIONS.contains(direction)) {
            throw new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NWFILTER,
                "unknown rule direction attribute value");
        }
        int priority = 500;
        String given = attr(e, "priority");
        if (given != null) {
            try {
                int p = Integer.parseInt(given);
                if (p >= -1000 && p <= 1000) {
                    priority = p;
                }
            } catch (NumberFormatException ignored) {
                // libvirt keeps the default for a priority it cannot read
            }
        }
        String statematch = attr(e, "statematch");
        boolean matchState = !("0".equals(statematch) || "false".equalsIgnoreCase(statematch));
        FilterDef.Match match = null;
        for (Node n = e.getFirstChild(); n != null && match == null; n = n.getNextSibling()) {
            if (n instanceof Element child && Protocols.byName(child.getTagName()) != null) {
                match = match(child, Protocols.byName(child.getTagName()));
            }
        }
        return new FilterDef.Rule(action, direction, priority, matchState, match);
    }

    private static FilterDef.Match match(Element e, Protocols.Protocol protocol) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Protocols.Attribute attribute : protocol.attributes()) {
            String value = attr(e, attribute.name());
            if (value == null) {
                continue;
            }
            String normalized = attribute.type().normalize(value);
            if (normalized == null) {
                throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, attribute.name()
                    + " has illegal value " + value);
            }
            values.put(attribute.name(), normalized);
        }
        return new FilterDef.Match(protocol.name(), values);
    }

    private static FilterDef.FilterRef filterRef(Element e) {
        String filter = attr(e, "filter");
        if (filter == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "rule node requires action attribute");
        }
        return new FilterDef.FilterRef(filter, parameters(e));
    }

    /** The {@code <parameter name value>} children with both attributes, sorted by name as libvirt writes them. */
    static List<FilterDef.Parameter> parameters(Element e) {
        List<FilterDef.Parameter> out = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element p && p.getTagName().equals("parameter")) {
                String name = attr(p, "name");
                String value = attr(p, "value");
                if (name != null && value != null) {
                    out.add(new FilterDef.Parameter(name, value));
                }
            }
        }
        out.sort(Comparator.comparing(FilterDef.Parameter::name));
        return List.copyOf(out);
    }

    static String format(FilterDef def) {
        StringBuilder out = new StringBuilder("<filter name='").append(escape(def.name())).append("' chain='")
            .append(escape(def.chain())).append('\'');
        if (def.priority() != 0) {
            out.append(" priority='").append(def.priority()).append('\'');
        }
        out.append(">\n  <uuid>").append(def.uuid()).append("</uuid>\n");
        for (FilterDef.Entry entry : def.entries()) {
            if (entry instanceof FilterDef.Rule rule) {
                out.append("  <rule action='").append(rule.action()).append("' direction='").append(rule.direction())
                    .append("' priority='").append(rule.priority()).append('\'');
                if (!rule.statematch()) {
                    out.append(" statematch='false'");
                }
                if (rule.match() == null) {
                    out.append("/>\n");
                    continue;
                }
                out.append(">\n    <").append(rule.match().protocol());
                rule.match().attributes().forEach((k, v) -> out.append(' ').append(k).append("='").append(escape(v))
                    .append('\''));
                out.append("/>\n  </rule>\n");
            } else if (entry instanceof FilterDef.FilterRef ref) {
                formatRef(out, "  ", ref);
            }
        }
        return out.append("</filter>\n").toString();
    }

    static void formatRef(StringBuilder out, String indent, FilterDef.FilterRef ref) {
        out.append(indent).append("<filterref filter='").append(escape(ref.filter())).append('\'');
        if (ref.parameters().isEmpty()) {
            out.append("/>\n");
            return;
        }
        out.append(">\n");
        for (FilterDef.Parameter p : ref.parameters()) {
            out.append(indent).append("  <parameter name='").append(escape(p.name())).append("' value='")
                .append(escape(p.value())).append("'/>\n");
        }
        out.append(indent).append("</filterref>\n");
    }

    static String attr(Element e, String name) {
        return e.hasAttribute(name) ? e.getAttribute(name) : null;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
            .replace("\"", "&quot;");
    }
}
