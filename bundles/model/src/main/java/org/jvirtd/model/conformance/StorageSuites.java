package org.jvirtd.model.conformance;

import org.jvirtd.api.VirtException;
import org.jvirtd.model.storage.PoolDef;
import org.jvirtd.model.storage.PoolXml;
import org.jvirtd.model.storage.VolumeDef;
import org.jvirtd.model.storage.VolumeXml;

/**
 * Handlers of the storage pool and volume suites.
 */
final class StorageSuites {
    private StorageSuites() {
    }

    /** storagepoolxml2xml: parse in/ with flags 0, format, compare with out/ (rule U). */
    static String poolXmlToXml(ConformanceCase c) throws Exception {
        PoolDef def;
        try {
            def = PoolXml.parse(c.read("input"));
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        if (c.expectsParseError()) {
            return "expected a parse error, but the document was accepted";
        }
        return TextCompare.unwrapped(c.read("expected"), PoolXml.format(def, 0));
    }

    /** storagevolxml2xml: parse the pool, the volume in that pool with the case's flags, format, compare. */
    static String volumeXmlToXml(ConformanceCase c) throws Exception {
        PoolDef pool = PoolXml.parse(c.read("pool"));
        VolumeDef def;
        try {
            def = VolumeXml.parse(pool, c.read("input"), volumeParseFlags(c));
        } catch (VirtException e) {
            return c.refusedWhileParsing(e);
        }
        if (c.expectsParseError()) {
            return "expected a parse error, but the document was accepted";
        }
        return TextCompare.unwrapped(c.read("expected"), VolumeXml.format(def, 0));
    }

    static int volumeParseFlags(ConformanceCase c) {
        int flags = 0;
        for (String flag : c.strings("parseFlags")) {
            flags |= switch (flag) {
                case "NO_CAPACITY" -> VolumeXml.NO_CAPACITY;
                case "OPT_CAPACITY" -> VolumeXml.OPT_CAPACITY;
                default -> throw new IllegalArgumentException("unknown parse flag " + flag);
            };
        }
        return flags;
    }
}
