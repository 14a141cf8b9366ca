package org.jvirtd.net.nwfilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * Resolves the filter a binding names into the rules it applies: references followed depth first with their
 * parameters (a reference's own override the ones it inherits), every rule copied once per combination of the
 * values of the variables it uses, each with the chain and chain priority of the filter it came from.
 */
final class FilterTree {
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-zA-Z0-9_]+)(?:\\[(@?)([0-9]+)\\])?");

    /** A rule ready for the firewall: its chain, the chain's priority, and its match with variables replaced. */
    record Instance(FilterDef.Rule rule, String chain, int chainPriority, Map<String, String> values) {
    }

    private final Function<String, FilterDef> filters;
    private final List<Instance> out = new ArrayList<>();
    private final Set<String> unresolved = new TreeSet<>();

    private FilterTree(Function<String, FilterDef> filters) {
        this.filters = filters;
    }

    /**
     * The rules of {@code filter} with {@code parameters}; refuses a missing referenced filter and a variable no
     * parameter gives, as libvirt does.
     */
    static List<Instance> resolve(FilterDef.FilterRef filter, Function<String, FilterDef> filters) {
        FilterTree tree = new FilterTree(filters);
        tree.walk(filter.filter(), values(filter.parameters()), new HashSet<>());
        if (!tree.unresolved.isEmpty()) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "Cannot instantiate filter due to"
                + " unresolvable variables or unavailable list elements: " + String.join(", ", tree.unresolved));
        }
        return tree.out;
    }

    /** The filters {@code filter} refers to, itself included, directly or not (missing ones left out). */
    static Set<String> closure(String filter, Function<String, FilterDef> filters) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(filter));
        while (!todo.isEmpty()) {
            String name = todo.remove(todo.size() - 1);
            FilterDef def = filters.apply(name);
            if (def == null || !seen.add(name)) {
                continue;
            }
            for (FilterDef.Entry e : def.entries()) {
                if (e instanceof FilterDef.FilterRef ref) {
                    todo.add(ref.filter());
                }
            }
        }
        return seen;
    }

    static Map<String, List<String>> values(List<FilterDef.Parameter> parameters) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (FilterDef.Parameter p : parameters) {
            values.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.value());
        }
        return values;
    }

    private void walk(String name, Map<String, List<String>> vars, Set<String> path) {
        FilterDef def = filters.apply(name);
        if (def == null) {
            throw new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NWFILTER, "referenced filter '" + name
                + "' is missing");
        }
        if (!path.add(name)) {
            return;
        }
        for (FilterDef.Entry entry : def.entries()) {
            if (entry instanceof FilterDef.FilterRef ref) {
                Map<String, List<String>> inner = new LinkedHashMap<>(vars);
                inner.putAll(values(ref.parameters()));
                walk(ref.filter(), inner, path);
            } else if (entry instanceof FilterDef.Rule rule) {
                expand(rule, def, vars);
            }
        }
        path.remove(name);
    }

    /** One instance per combination of the values of the variables the rule uses. */
    private void expand(FilterDef.Rule rule, FilterDef def, Map<String, List<String>> vars) {
        Map<String, String> attributes = rule.match() == null ? Map.of() : rule.match().attributes();
        List<String> used = new ArrayList<>();
        for (String value : attributes.values()) {
            Matcher m = VARIABLE.matcher(value);
            if (m.matches()) {
                if (!vars.containsKey(m.group(1))) {
                    unresolved.add(m.group(1));
                } else if (m.group(3) == null && !used.contains(m.group(1))) {
                    used.add(m.group(1));
                }
            }
        }
        if (attributes.values().stream().anyMatch(v -> {
            Matcher m = VARIABLE.matcher(v);
            return m.matches() && !vars.containsKey(m.group(1));
        })) {
            return;
        }
        int[] index = new int[used.size()];
        while (true) {
            Map<String, String> resolved = new LinkedHashMap<>();
            boolean available = true;
            for (Map.Entry<String, String> a : attributes.entrySet()) {
                Matcher m = VARIABLE.matcher(a.getValue());
                if (!m.matches()) {
                    resolved.put(a.getKey(), a.getValue());
                    continue;
                }
                List<String> list = vars.get(m.group(1));
                int i = m.group(3) != null ? Integer.parseInt(m.group(3)) : index[used.indexOf(m.group(1))];
                if (i >= list.size()) {
                    unresolved.add(m.group(1) + "[" + i + "]");
                    available = false;
                    break;
                }
                resolved.put(a.getKey(), list.get(i));
            }
            if (available) {
                out.add(new Instance(rule, def.chain(), def.priority(), resolved));
            }
            int k = used.size() - 1;
            while (k >= 0 && ++index[k] >= vars.get(used.get(k)).size()) {
                index[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
    }
}
