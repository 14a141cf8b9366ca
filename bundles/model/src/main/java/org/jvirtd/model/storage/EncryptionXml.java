package org.jvirtd.model.storage;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.api.ErrorDomain;
import org.jvirtd.model.internal.Dom;
import org.jvirtd.model.internal.Errors;
import org.jvirtd.model.internal.Uuids;
import org.jvirtd.model.internal.XmlTag;
import org.w3c.dom.Element;

/**
 * Parse/format of a volume's {@code <encryption>}.
 */
final class EncryptionXml {
    private static final ErrorDomain D = ErrorDomain.STORAGE;
    private static final List<String> FORMATS = List.of("default", "qcow", "luks", "luks2", "luks-any");

    private EncryptionXml() {
    }

    static Encryption parse(Element e) {
        if (e == null) {
            return null;
        }
        String format = Dom.attr(e, "format");
        if (format == null) {
            throw Errors.xml(D, "unknown volume encryption format type (null)");
        }
        if (!FORMATS.contains(format)) {
            throw Errors.unsupported(D, "unknown volume encryption format type " + format);
        }
        String engine = Dom.attr(e, "engine");
        if (engine != null && !engine.equals("qemu") && !engine.equals("librbd")) {
            throw Errors.xml(D, "unknown volume encryption engine type " + engine);
        }
        List<Encryption.Secret> secrets = new ArrayList<>();
        for (Element s : Dom.children(e, "secret")) {
            String type = Dom.attr(s, "type");
            if (!"passphrase".equals(type)) {
                throw Errors.xml(D, "unknown volume encryption secret type " + type);
            }
            String uuid = Dom.attr(s, "uuid");
            String usage = Dom.attr(s, "usage");
            if (uuid == null && usage == null) {
                throw Errors.xml(D, "missing secret uuid or usage attribute");
            }
            secrets.add(new Encryption.Secret(type, uuid == null ? null : Uuids.parse(D, uuid).toString(), usage));
        }
        Element c = Dom.child(e, "cipher");
        Encryption.Cipher cipher = null;
        if (c != null) {
            String name = Dom.attr(c, "name");
            String size = Dom.attr(c, "size");
            if (name == null) {
                throw Errors.xml(D, "cipher element missing algorithm name");
            }
            if (size == null || !size.strip().matches("\\d{1,9}")) {
                throw Errors.xml(D, "cannot parse cipher size: '" + size + "'");
            }
            cipher = new Encryption.Cipher(name, Long.parseLong(size.strip()), Dom.attr(c, "mode"), Dom.attr(c, "hash"));
        }
        Element i = Dom.child(e, "ivgen");
        Encryption.IvGen ivgen = null;
        if (i != null) {
            if (Dom.attr(i, "name") == null) {
                throw Errors.xml(D, "missing ivgen element name");
            }
            ivgen = new Encryption.IvGen(Dom.attr(i, "name"), Dom.attr(i, "hash"));
        }
        return new Encryption(format, engine, secrets, cipher, ivgen);
    }

    static XmlTag format(Encryption enc) {
        if (enc == null) {
            return null;
        }
        // libvirt writes the element open and closed even when it holds nothing (a probed, unknown secret)
        XmlTag tag = XmlTag.of("encryption").attr("format", enc.format()).attr("engine", enc.engine()).keepOpen();
        enc.secrets().forEach(s -> tag.child(XmlTag.of("secret").attr("type", s.type()).attr("uuid", s.uuid())
            .attr("usage", s.usage())));
        if (enc.cipher() != null) {
            Encryption.Cipher c = enc.cipher();
            tag.child(XmlTag.of("cipher").attr("name", c.name()).attr("size", c.size()).attr("mode", c.mode())
                .attr("hash", c.hash()));
        }
        if (enc.ivgen() != null) {
            tag.child(XmlTag.of("ivgen").attr("name", enc.ivgen().name()).attr("hash", enc.ivgen().hash()));
        }
        return tag;
    }
}
