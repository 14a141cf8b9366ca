package org.jvirtd.model.internal;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * The errors the parsers raise, with libvirt's codes; the caller's error domain says which document failed.
 */
public final class Errors {
    private Errors() {
    }

    /** VIR_ERR_XML_ERROR: the document is well formed but a value is wrong or missing. */
    public static VirtException xml(ErrorDomain domain, String detail) {
        return new VirtException(ErrorCode.XML_ERROR, domain, detail);
    }

    /** VIR_ERR_XML_DETAIL: libxml2 rejected the document, or an illegal character was found. */
    public static VirtException xmlDetail(ErrorDomain domain, String detail) {
        return new VirtException(ErrorCode.XML_DETAIL, domain, detail);
    }

    /** VIR_ERR_CONFIG_UNSUPPORTED: parsed but not a configuration libvirt accepts. */
    public static VirtException unsupported(ErrorDomain domain, String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, domain, detail);
    }

    /** VIR_ERR_INVALID_ARG. */
    public static VirtException invalidArg(ErrorDomain domain, String detail) {
        return new VirtException(ErrorCode.INVALID_ARG, domain, detail);
    }

    /** VIR_ERR_INTERNAL_ERROR, which libvirt uses for some malformed values (uuid, unknown enums). */
    public static VirtException internal(ErrorDomain domain, String detail) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, domain, detail);
    }
}
