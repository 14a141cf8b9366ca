package org.jvirtd.rpc.access;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The attributes of an object that is still an XML definition (a define or create call): read from the few
 * elements libvirt's attributes come from, before the call changes anything. A definition without a UUID has
 * none yet (libvirt would make one up); one that is not XML has no attributes, and the driver will reject it.
 */
final class DefinitionAttributes {
    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private DefinitionAttributes() {
    }

    static Map<String, String> of(ObjectKind kind, String xml) {
        Map<String, String> found = elements(xml);
        Map<String, String> attributes = new LinkedHashMap<>();
        switch (kind) {
            case DOMAIN -> put(attributes, "domain_name", found.get("name"), "domain_uuid", found.get("uuid"));
            case NETWORK -> put(attributes, "network_name", found.get("name"), "network_uuid", found.get("uuid"));
            case STORAGE_POOL -> put(attributes, "pool_name", found.get("name"), "pool_uuid", found.get("uuid"));
            case STORAGE_VOL -> put(attributes, "vol_name", found.get("name"));
            case NETWORK_PORT -> put(attributes, "port_uuid", found.get("uuid"));
            case NODE_DEVICE -> put(attributes, "node_device_name", found.get("name"));
            case INTERFACE -> put(attributes, "interface_name", found.get("@name"), "interface_macaddr",
                found.get("mac@address"));
            case NWFILTER -> put(attributes, "nwfilter_name", found.get("@name"), "nwfilter_uuid", found.get("uuid"));
            case NWFILTER_BINDING -> put(attributes, "nwfilter_binding_portdev", found.get("portdev@name"),
                "nwfilter_binding_filter", found.get("filterref@filter"));
            case SECRET -> {
                put(attributes, "secret_uuid", found.get("uuid"));
                String usage = found.get("usage@type");
                String key = usage == null ? null : switch (usage) {
                    case "volume" -> "secret_usage_volume";
                    case "ceph" -> "secret_usage_ceph";
                    case "iscsi" -> "secret_usage_target";
                    case "tls" -> "secret_usage_name";
                    default -> null;
                };
                if (key != null) {
                    String id = found.get("usage/volume");
                    id = id != null ? id : found.get("usage/name");
                    put(attributes, key, id != null ? id : found.get("usage/target"));
                }
            }
        }
        return attributes;
    }

    private static void put(Map<String, String> attributes, String... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                attributes.put(keysAndValues[i], keysAndValues[i + 1].strip());
            }
        }
    }

    /**
     * The root's attributes as "@NAME", its children's text as "CHILD", their attributes as "CHILD@NAME" and
     * grandchildren's text as "CHILD/GRANDCHILD"; the first of each wins.
     */
    private static Map<String, String> elements(String xml) {
        Map<String, String> found = new LinkedHashMap<>();
        try {
            XMLStreamReader reader = FACTORY.createXMLStreamReader(new StringReader(xml));
            try {
                String[] path = new String[3];
                int depth = 0;
                StringBuilder text = new StringBuilder();
                while (reader.hasNext()) {
                    int event = reader.next();
                    if (event == XMLStreamReader.START_ELEMENT) {
                        if (depth < path.length) {
                            path[depth] = reader.getLocalName();
                            String prefix = depth == 0 ? "" : depth == 1 ? path[1] : null;
                            for (int i = 0; prefix != null && i < reader.getAttributeCount(); i++) {
                                found.putIfAbsent(prefix + "@" + reader.getAttributeLocalName(i),
                                    reader.getAttributeValue(i));
                            }
                        }
                        depth++;
                        text.setLength(0);
                    } else if (event == XMLStreamReader.CHARACTERS || event == XMLStreamReader.CDATA) {
                        text.append(reader.getText());
                    } else if (event == XMLStreamReader.END_ELEMENT) {
                        depth--;
                        if (depth == 1) {
                            found.putIfAbsent(path[1], text.toString());
                        } else if (depth == 2) {
                            found.putIfAbsent(path[1] + "/" + path[2], text.toString());
                        }
                        text.setLength(0);
                    }
                }
            } finally {
                reader.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            return Map.of();
        }
        return found;
    }
}
