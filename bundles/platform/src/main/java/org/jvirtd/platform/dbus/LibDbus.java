package org.jvirtd.platform.dbus;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The calls of libdbus-1 a one-shot method call needs, loaded by its soname, with the type codes of dbus-protocol.h. */
interface LibDbus extends Library {
    int BUS_SYSTEM = 1;
    int TYPE_BOOLEAN = 'b';
    int TYPE_INT32 = 'i';
    int TYPE_UINT32 = 'u';
    int TYPE_UINT64 = 't';
    int TYPE_STRING = 's';
    int TYPE_ARRAY = 'a';
    int TYPE_STRUCT = 'r';
    int TYPE_DICT_ENTRY = 'e';
    int TYPE_VARIANT = 'v';
    /** sizeof(DBusError) and sizeof(DBusMessageIter) are below this on every ABI. */
    int OPAQUE_SIZE = 128;

    static LibDbus load() {
        return Native.load("libdbus-1.so.3", LibDbus.class);
    }

    void dbus_error_init(Pointer error);

    void dbus_error_free(Pointer error);

    int dbus_error_is_set(Pointer error);

    Pointer dbus_connection_open_private(String address, Pointer error);

    Pointer dbus_bus_get_private(int type, Pointer error);

    int dbus_bus_register(Pointer connection, Pointer error);

    void dbus_connection_close(Pointer connection);

    void dbus_connection_unref(Pointer connection);

    Pointer dbus_message_new_method_call(String destination, String path, String iface, String method);

    void dbus_message_unref(Pointer message);

    Pointer dbus_connection_send_with_reply_and_block(Pointer connection, Pointer message, int timeoutMillis,
                                                      Pointer error);

    void dbus_message_iter_init_append(Pointer message, Pointer iter);

    int dbus_message_iter_append_basic(Pointer iter, int type, Pointer value);

    int dbus_message_iter_open_container(Pointer iter, int type, String signature, Pointer sub);

    int dbus_message_iter_close_container(Pointer iter, Pointer sub);

    int dbus_message_iter_init(Pointer message, Pointer iter);

    int dbus_message_iter_get_arg_type(Pointer iter);

    void dbus_message_iter_recurse(Pointer iter, Pointer sub);

    void dbus_message_iter_get_basic(Pointer iter, Pointer value);

    int dbus_message_iter_next(Pointer iter);
}
