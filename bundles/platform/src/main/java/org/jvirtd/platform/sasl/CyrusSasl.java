package org.jvirtd.platform.sasl;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The calls of libsasl2 (Cyrus SASL 2.1) a server makes, with the constants of sasl.h they take. Loaded by
 * its soname: Debian ships the unversioned libsasl2.so only in the -dev package.
 */
interface CyrusSasl extends Library {
    int SASL_OK = 0;
    int SASL_CONTINUE = 1;
    int SASL_SUCCESS_DATA = 0x0004;
    int SASL_USERNAME = 0;
    int SASL_SSF = 1;
    int SASL_MAXOUTBUF = 2;
    int SASL_SSF_EXTERNAL = 100;
    int SASL_SEC_PROPS = 101;
    int SASL_SEC_NOPLAINTEXT = 0x0001;
    int SASL_SEC_NOANONYMOUS = 0x0010;
    int SASL_PATH_TYPE_CONFIG = 1;

    static CyrusSasl load() {
        return Native.load("libsasl2.so.2", CyrusSasl.class);
    }

    int sasl_set_path(int pathType, String path);

    int sasl_server_init(Pointer callbacks, String appName);

    int sasl_server_new(String service, String serverFqdn, String userRealm, String ipLocalPort,
                        String ipRemotePort, Pointer callbacks, int flags, PointerByReference conn);

    int sasl_setprop(Pointer conn, int property, Pointer value);

    int sasl_getprop(Pointer conn, int property, PointerByReference value);

    int sasl_listmech(Pointer conn, String user, String prefix, String separator, String suffix,
                      PointerByReference result, IntByReference length, IntByReference count);

    int sasl_server_start(Pointer conn, String mechanism, Pointer clientIn, int clientInLength,
                          PointerByReference serverOut, IntByReference serverOutLength);

    int sasl_server_step(Pointer conn, Pointer clientIn, int clientInLength, PointerByReference serverOut,
                         IntByReference serverOutLength);

    int sasl_encode(Pointer conn, Pointer input, int inputLength, PointerByReference output,
                    IntByReference outputLength);

    int sasl_decode(Pointer conn, Pointer input, int inputLength, PointerByReference output,
                    IntByReference outputLength);

    String sasl_errdetail(Pointer conn);

    String sasl_errstring(int code, String languages, Pointer outLanguage);

    void sasl_dispose(PointerByReference conn);
}
