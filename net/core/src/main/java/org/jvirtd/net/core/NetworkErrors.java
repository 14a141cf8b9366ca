package org.jvirtd.net.core;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtException;

/**
 * The network driver's errors, worded as libvirt's network driver words them.
 */
final class NetworkErrors {
    private NetworkErrors() {
    }

    static VirtException noNetworkName(String name) {
        return new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NETWORK, "no network with matching name '" + name + "'");
    }

    static VirtException noNetworkUuid(String uuid) {
        return new VirtException(ErrorCode.NO_NETWORK, ErrorDomain.NETWORK, "no network with matching uuid '" + uuid + "'");
    }

    static VirtException invalid(String detail) {
        return new VirtException(ErrorCode.OPERATION_INVALID, ErrorDomain.NETWORK, detail);
    }

    static VirtException internal(String detail) {
        return new VirtException(ErrorCode.INTERNAL_ERROR, ErrorDomain.NETWORK, detail);
    }

    static VirtException unsupported(String detail) {
        return new VirtException(ErrorCode.CONFIG_UNSUPPORTED, ErrorDomain.NETWORK, detail);
    }

    static VirtException noPort(java.util.UUID uuid) {
        return new VirtException(ErrorCode.NO_NETWORK_PORT, ErrorDomain.NETWORK,
            "Network port with UUID " + uuid + " does not exist");
    }

    static VirtException portExists(java.util.UUID uuid) {
        return new VirtException(ErrorCode.NETWORK_PORT_EXIST, ErrorDomain.NETWORK,
            "Network port with UUID " + uuid + " already exists");
    }
}
