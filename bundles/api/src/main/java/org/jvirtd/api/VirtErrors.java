package org.jvirtd.api;

/**
 * Named factories for the errors every driver and layer raises, worded as libvirt words them.
 */
public final class VirtErrors {
    private VirtErrors() {
    }

    public static VirtException noDomainName(ErrorDomain from, String name) {
        return new VirtException(ErrorCode.NO_DOMAIN, from, "no domain with matching name '" + name + "'");
    }

    public static VirtException noDomainUuid(ErrorDomain from, String uuid) {
        return new VirtException(ErrorCode.NO_DOMAIN, from, "no domain with matching uuid '" + uuid + "'");
    }

    public static VirtException noDomainId(ErrorDomain from, int id) {
        return new VirtException(ErrorCode.NO_DOMAIN, from, "no domain with matching id " + id);
    }

    public static VirtException operationInvalid(ErrorDomain from, String detail) {
        return new VirtException(ErrorCode.OPERATION_INVALID, from, detail);
    }

    public static VirtException notRunning(ErrorDomain from) {
        return operationInvalid(from, "domain is not running");
    }

    public static VirtException alreadyRunning(ErrorDomain from) {
        return operationInvalid(from, "domain is already running");
    }

    public static VirtException noSupport(String api) {
        return new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, api);
    }

    public static VirtException readOnly(String api) {
        return new VirtException(ErrorCode.OPERATION_DENIED, ErrorDomain.NONE, "read only access prevents " + api);
    }

    public static VirtException invalidArg(ErrorDomain from, String detail) {
        return new VirtException(ErrorCode.INVALID_ARG, from, detail);
    }

    /** A bad argument as libvirt's virReportInvalidArg words it: the message alone, with no prefix. */
    public static VirtException badArgument(ErrorDomain from, String message) {
        return VirtException.unprefixed(ErrorCode.INVALID_ARG, from, message);
    }

    /** virCheckFlags: "unsupported flags (0x10) in function qemuDomainFoo", for the flags outside {@code known}. */
    public static void checkFlags(ErrorDomain from, long flags, long known, String function) {
        if ((flags & ~known) != 0) {
            throw badArgument(from, "unsupported flags (0x" + Long.toHexString(flags & ~known) + ") in function "
                + function);
        }
    }

    public static VirtException internal(ErrorDomain from, String detail) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, from, detail);
    }

    public static VirtException operationFailed(ErrorDomain from, String detail) {
        return new VirtException(ErrorCode.OPERATION_FAILED, from, detail);
    }

    public static VirtException system(ErrorDomain from, String detail, Throwable cause) {
        return new VirtException(ErrorCode.SYSTEM_ERROR, from, detail, cause);
    }

    public static VirtException xml(String detail) {
        return new VirtException(ErrorCode.XML_ERROR, ErrorDomain.DOMAIN, detail);
    }

    public static VirtException noConnect(String uri) {
        return new VirtException(ErrorCode.NO_CONNECT, ErrorDomain.NONE, uri);
    }

    public static VirtException driverUnavailable(String driver) {
        return new VirtException(ErrorCode.NO_SUPPORT, ErrorDomain.NONE, "driver " + driver + " is not available");
    }
}
