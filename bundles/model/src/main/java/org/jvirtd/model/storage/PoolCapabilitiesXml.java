package org.jvirtd.model.storage;

import java.util.List;
import java.util.Set;

/**
 * Formats libvirt's {@code <storagepoolCapabilities>} (virConnectGetStoragePoolCapabilities): every pool type
 * libvirt 9.0 knows, in its order, marked supported when a backend for it is here, with the source and volume
 * formats each type accepts.
 */
public final class PoolCapabilitiesXml {
    private static final List<String> FILE_FORMATS = List.of("none", "raw", "dir", "bochs", "cloop", "dmg", "iso",
        "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");
    private static final List<String> PARTITION_FORMATS = List.of("none", "linux", "fat16", "fat32", "linux-swap",
        "linux-lvm", "linux-raid", "extended");

    /** One pool type's row: pool source formats (default, values) and volume formats (default, values). */
    private record Row(String type, String sourceDefault, List<String> sourceFormats, String volumeDefault,
                       List<String> volumeFormats) {
        static Row bare(String type) {
            return new Row(type, null, List.of(), null, List.of());
        }

        static Row files(String type) {
            return new Row(type, null, List.of(), "raw", FILE_FORMATS);
        }
    }

    // libvirt's order (its backends' registration order); sheepdog is gone from the parser but still listed
    private static final List<Row> ROWS = List.of(
        Row.files("dir"),
        new Row("fs", "auto", PoolType.FS.formats(), "raw", FILE_FORMATS),
        new Row("netfs", "auto", PoolType.NETFS.formats(), "raw", FILE_FORMATS),
        new Row("logical", "lvm2", PoolType.LOGICAL.formats(), null, List.of()),
        new Row("disk", "unknown", PoolType.DISK.formats(), "none", PARTITION_FORMATS),
        Row.bare("iscsi"), Row.bare("iscsi-direct"), Row.bare("scsi"), Row.bare("mpath"),
        new Row("rbd", null, List.of(), "raw", List.of()),
        Row.bare("sheepdog"),
        Row.files("gluster"),
        Row.bare("zfs"),
        Row.files("vstorage"));

    private PoolCapabilitiesXml() {
    }

    /** The document, with {@code supported='yes'} for the pool types named in {@code supportedTypes}. */
    public static String format(Set<String> supportedTypes) {
        StringBuilder xml = new StringBuilder("<storagepoolCapabilities>\n");
        for (Row row : ROWS) {
            xml.append("  <pool type='").append(row.type()).append("' supported='")
                .append(supportedTypes.contains(row.type()) ? "yes" : "no").append("'>\n");
            if (row.sourceDefault() != null) {
                options(xml, "poolOptions", row.sourceDefault(), "sourceFormatType", row.sourceFormats());
            }
            if (row.volumeDefault() != null) {
                options(xml, "volOptions", row.volumeDefault(), "targetFormatType", row.volumeFormats());
            }
            xml.append("  </pool>\n");
        }
        return xml.append("</storagepoolCapabilities>\n").toString();
    }

    private static void options(StringBuilder xml, String element, String defaultFormat, String enumName,
                                List<String> values) {
        xml.append("    <").append(element).append(">\n");
        xml.append("      <defaultFormat type='").append(defaultFormat).append("'/>\n");
        xml.append("      <enum name='").append(enumName).append("'>\n");
        for (String value : values) {
            xml.append("        <value>").append(value).append("</value>\n");
        }
        xml.append("      </enum>\n");
        xml.append("    </").append(element).append(">\n");
    }
}
