package org.jvirtd.rpc.admin;

import java.util.ArrayList;
import java.util.List;

import org.jvirtd.rpc.admin.AdminTypes.TypedParam;
import org.jvirtd.rpc.server.ClientInfo;

/** A client's identity as virt-admin client-info prints it, with libvirt's VIR_CLIENT_INFO_* names. */
final class ClientParams {
    private ClientParams() {
    }

    static List<TypedParam> of(ClientInfo info) {
        List<TypedParam> params = new ArrayList<>();
        params.add(TypedParam.bool("readonly", info.readOnly()));
        if (info.address() != null) {
            params.add(TypedParam.string("sock_addr", info.address()));
        }
        if (info.x509Name() != null) {
            params.add(TypedParam.string("tls_x509_dname", info.x509Name()));
        }
        if (info.unixUser() != null) {
            params.add(TypedParam.string("unix_user_name", info.unixUser()));
        }
        if (info.unixGroup() != null) {
            params.add(TypedParam.string("unix_group_name", info.unixGroup()));
        }
        return params;
    }
}
