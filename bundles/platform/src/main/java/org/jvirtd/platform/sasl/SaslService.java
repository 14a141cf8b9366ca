package org.jvirtd.platform.sasl;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The server side of Cyrus SASL in this process, initialised once under an application name: the library
 * then reads {@code <name>.conf} (mech_list, sasldb_path, ...) from its configuration path, /etc/sasl2 on
 * Debian, or from the directories in SASL_CONF_PATH.
 */
public final class SaslService {
    private static SaslService initialised;

    private final CyrusSasl sasl;
    private final String appName;

    private SaslService(CyrusSasl sasl, String appName) {
        this.sasl = sasl;
        this.appName = appName;
    }

    /**
     * Loads libsasl2 and runs sasl_server_init the first time; later calls get the same service.
     *
     * @param configPath a directory holding {@code <appName>.conf}, or null for the library's default
     * @throws SaslException when the library is missing or refuses to start
     */
    public static synchronized SaslService start(String appName, String configPath) throws SaslException {
        if (initialised != null) {
            if (!initialised.appName.equals(appName)) {
                throw new SaslException(-1, "SASL is already initialised for " + initialised.appName);
            }
            return initialised;
        }
        CyrusSasl sasl;
        try {
            sasl = CyrusSasl.load();
        } catch (UnsatisfiedLinkError e) {
            throw new SaslException(-1, "cannot load libsasl2.so.2: " + e.getMessage());
        }
        if (configPath != null) {
            int rc = sasl.sasl_set_path(CyrusSasl.SASL_PATH_TYPE_CONFIG, configPath);
            if (rc != CyrusSasl.SASL_OK) {
                throw new SaslException(rc, "failed to set SASL configuration path: " + sasl.sasl_errstring(rc,
                    null, null));
            }
        }
        int rc = sasl.sasl_server_init(null, appName);
        if (rc != CyrusSasl.SASL_OK) {
            throw new SaslException(rc, "failed to initialize SASL library: " + rc + " ("
                + sasl.sasl_errstring(rc, null, null) + ")");
        }
        initialised = new SaslService(sasl, appName);
        return initialised;
    }

    /**
     * A new authentication exchange with one client (sasl_server_new with success data).
     *
     * @param localAddress "address;port" of this end, null on a unix socket
     * @param remoteAddress "address;port" of the client, null on a unix socket
     */
    public SaslServerSession newSession(String service, String localAddress, String remoteAddress)
        throws SaslException {
        PointerByReference conn = new PointerByReference();
        int rc = sasl.sasl_server_new(service, null, null, localAddress, remoteAddress, null,
            CyrusSasl.SASL_SUCCESS_DATA, conn);
        Pointer handle = conn.getValue();
        if (rc != CyrusSasl.SASL_OK || handle == null) {
            throw new SaslException(rc, "Failed to create SASL client context: " + rc + " ("
                + sasl.sasl_errstring(rc, null, null) + ")");
        }
        return new SaslServerSession(sasl, handle);
    }
}
