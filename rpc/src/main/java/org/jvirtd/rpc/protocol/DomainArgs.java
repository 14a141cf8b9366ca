package org.jvirtd.rpc.protocol;

import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.rpc.xdr.XdrReader;

/** The argument structs of the domain procedures, as records with their XDR readers. */
public final class DomainArgs {
    private DomainArgs() {
    }

    /** { remote_nonnull_domain dom; unsigned int flags } — the most common shape. */
    public record DomainAndFlags(DomainRef dom, int flags) {
        public static DomainAndFlags read(XdrReader in) {
            return new DomainAndFlags(Types.readDomain(in), in.readInt());
        }
    }

    /** { remote_nonnull_string xml; unsigned int flags } (define_xml_flags, create_xml). */
    public record XmlFlags(String xml, int flags) {
        public static XmlFlags read(XdrReader in) {
            return new XmlFlags(Types.readString(in), in.readInt());
        }
    }

    /** { remote_nonnull_domain dom; remote_nonnull_string xml; unsigned int flags } (device attach/detach). */
    public record DomainXmlFlags(DomainRef dom, String xml, int flags) {
        public static DomainXmlFlags read(XdrReader in) {
            return new DomainXmlFlags(Types.readDomain(in), Types.readString(in), in.readInt());
        }
    }

    /** { remote_nonnull_domain dom; remote_nonnull_string xml } (attach/detach without flags). */
    public record DomainXml(DomainRef dom, String xml) {
        public static DomainXml read(XdrReader in) {
            return new DomainXml(Types.readDomain(in), Types.readString(in));
        }
    }

    /** remote_domain_save_flags_args { dom; to; remote_string dxml; flags }; plain save has no dxml/flags. */
    public record Save(DomainRef dom, String to, String dxml, int flags) {
        public static Save readPlain(XdrReader in) {
            return new Save(Types.readDomain(in), Types.readString(in), null, 0);
        }

        public static Save readWithFlags(XdrReader in) {
            return new Save(Types.readDomain(in), Types.readString(in), Types.readOptionalString(in), in.readInt());
        }
    }

    /** remote_domain_restore_flags_args { from; remote_string dxml; flags }; plain restore has only from. */
    public record Restore(String from, String dxml, int flags) {
        public static Restore readPlain(XdrReader in) {
            return new Restore(Types.readString(in), null, 0);
        }

        public static Restore readWithFlags(XdrReader in) {
            return new Restore(Types.readString(in), Types.readOptionalString(in), in.readInt());
        }
    }

    /** { dom; int autostart }. */
    public record Autostart(DomainRef dom, boolean autostart) {
        public static Autostart read(XdrReader in) {
            DomainRef dom = Types.readDomain(in);
            return new Autostart(dom, in.readInt() != 0);
        }
    }

    /** remote_domain_set_memory_flags_args { dom; unsigned hyper memory; unsigned int flags }. */
    public record SetMemory(DomainRef dom, long memoryKiB, int flags) {
        public static SetMemory read(XdrReader in) {
            return new SetMemory(Types.readDomain(in), in.readHyper(), in.readInt());
        }
    }

    /** remote_connect_list_all_domains_args { int need_results; unsigned int flags }. */
    public record ListAll(boolean needResults, int flags) {
        public static ListAll read(XdrReader in) {
            return new ListAll(in.readInt() != 0, in.readInt());
        }
    }

    /** remote_domain_set_metadata_args { dom; int type; remote_string metadata, key, uri; unsigned int flags }. */
    public record SetMetadata(DomainRef dom, int type, String metadata, String key, String uri, int flags) {
        public static SetMetadata read(XdrReader in) {
            return new SetMetadata(Types.readDomain(in), in.readInt(), Types.readOptionalString(in),
                Types.readOptionalString(in), Types.readOptionalString(in), in.readInt());
        }
    }

    /** remote_domain_get_metadata_args { dom; int type; remote_string uri; unsigned int flags }. */
    public record GetMetadata(DomainRef dom, int type, String uri, int flags) {
        public static GetMetadata read(XdrReader in) {
            return new GetMetadata(Types.readDomain(in), in.readInt(), Types.readOptionalString(in), in.readInt());
        }
    }
}
