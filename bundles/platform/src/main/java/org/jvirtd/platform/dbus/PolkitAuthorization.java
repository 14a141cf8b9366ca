package org.jvirtd.platform.dbus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Asks polkitd, over the system bus, whether a process may take an action: one CheckAuthorization call of
 * org.freedesktop.PolicyKit1.Authority with a unix-process subject (pid, start time, uid), the action's details
 * (what rules read with {@code action.lookup(key)}) and user interaction allowed or not, on a private connection
 * opened and closed for the call.
 */
public final class PolkitAuthorization {
    private static final String POLKIT = "org.freedesktop.PolicyKit1";
    private static final int ALLOW_USER_INTERACTION = 1;
    /** polkit may wait for an agent's answer; libvirt waits as long (the D-Bus default is 25 s). */
    private static final int TIMEOUT_MILLIS = 25_000;

    /**
     * polkit's answer.
     *
     * @param challenge not authorized, but would be if the user authenticated (no agent was there to ask)
     * @param dismissed the user dismissed the agent's question
     */
    public record Result(boolean authorized, boolean challenge, boolean dismissed) {
    }

    private static LibDbus dbus;

    private PolkitAuthorization() {
    }

    private static synchronized LibDbus dbus() throws IOException {
        if (dbus == null) {
            try {
                dbus = LibDbus.load();
            } catch (UnsatisfiedLinkError e) {
                throw new IOException("cannot load libdbus-1.so.3: " + e.getMessage(), e);
            }
        }
        return dbus;
    }

    /**
     * @param busAddress the system bus's address, null for the standard one (DBUS_SYSTEM_BUS_ADDRESS or
     *                   /run/dbus/system_bus_socket)
     * @param startTime  the process's start time in clock ticks since boot (/proc/PID/stat field 22)
     * @throws IOException when the bus or polkitd cannot be reached, with the D-Bus error
     */
    public static Result check(String busAddress, String action, int pid, long startTime, int uid)
        throws IOException {
        return check(busAddress, action, Map.of(), true, pid, startTime, uid);
    }

    /**
     * @param details     the action's details, in order
     * @param interactive whether polkit may ask the user through an agent
     * @see #check(String, String, int, long, int)
     */
    public static Result check(String busAddress, String action, Map<String, String> details,
                               boolean interactive, int pid, long startTime, int uid) throws IOException {
        LibDbus lib = dbus();
        // JNA frees this memory once it is unreachable, so every piece stays referenced until the call ends
        List<Memory> keep = new ArrayList<>();
        Memory error = zeroed(keep);
        lib.dbus_error_init(error);
        Pointer connection = busAddress == null ? lib.dbus_bus_get_private(LibDbus.BUS_SYSTEM, error)
            : lib.dbus_connection_open_private(busAddress, error);
        if (connection == null) {
            throw failure(lib, error, "cannot connect to the system bus");
        }
        Pointer message = null;
        Pointer reply = null;
        try {
            if (busAddress != null && lib.dbus_bus_register(connection, error) == 0) {
                throw failure(lib, error, "cannot register on the system bus");
            }
            message = lib.dbus_message_new_method_call(POLKIT, "/org/freedesktop/PolicyKit1/Authority",
                POLKIT + ".Authority", "CheckAuthorization");
            appendArguments(lib, message, action, details, interactive ? ALLOW_USER_INTERACTION : 0, pid,
                startTime, uid, keep);
            reply = lib.dbus_connection_send_with_reply_and_block(connection, message, TIMEOUT_MILLIS, error);
            if (reply == null) {
                throw failure(lib, error, "polkit CheckAuthorization failed");
            }
            return readResult(lib, reply, keep);
        } finally {
            if (reply != null) {
                lib.dbus_message_unref(reply);
            }
            if (message != null) {
                lib.dbus_message_unref(message);
            }
            lib.dbus_connection_close(connection);
            lib.dbus_connection_unref(connection);
        }
    }

    /** (sa{sv}) subject, s action_id, a{ss} details, u flags, s cancellation_id. */
    private static void appendArguments(LibDbus lib, Pointer message, String action, Map<String, String>
        details, int flags, int pid, long startTime, int uid, List<Memory> keep) throws IOException {
        Memory args = zeroed(keep);
        lib.dbus_message_iter_init_append(message, args);
        Memory subject = zeroed(keep);
        open(lib, args, LibDbus.TYPE_STRUCT, null, subject);
        appendString(lib, subject, "unix-process", keep);
        Memory entries = zeroed(keep);
        open(lib, subject, LibDbus.TYPE_ARRAY, "{sv}", entries);
        appendEntry(lib, entries, "pid", LibDbus.TYPE_UINT32, "u", integer(pid, keep), keep);
        appendEntry(lib, entries, "start-time", LibDbus.TYPE_UINT64, "t", long64(startTime, keep), keep);
        appendEntry(lib, entries, "uid", LibDbus.TYPE_INT32, "i", integer(uid, keep), keep);
        close(lib, subject, entries);
        close(lib, args, subject);
        appendString(lib, args, action, keep);
        Memory dict = zeroed(keep);
        open(lib, args, LibDbus.TYPE_ARRAY, "{ss}", dict);
        for (Map.Entry<String, String> detail : details.entrySet()) {
            Memory entry = zeroed(keep);
            open(lib, dict, LibDbus.TYPE_DICT_ENTRY, null, entry);
            appendString(lib, entry, detail.getKey(), keep);
            appendString(lib, entry, detail.getValue(), keep);
            close(lib, dict, entry);
        }
        close(lib, args, dict);
        check(lib.dbus_message_iter_append_basic(args, LibDbus.TYPE_UINT32, integer(flags, keep)));
        appendString(lib, args, "", keep);
    }

    private static void appendEntry(LibDbus lib, Pointer dict, String key, int type, String signature, Memory value,
                                    List<Memory> keep) throws IOException {
        Memory entry = zeroed(keep);
        open(lib, dict, LibDbus.TYPE_DICT_ENTRY, null, entry);
        appendString(lib, entry, key, keep);
        Memory variant = zeroed(keep);
        open(lib, entry, LibDbus.TYPE_VARIANT, signature, variant);
        check(lib.dbus_message_iter_append_basic(variant, type, value));
        close(lib, entry, variant);
        close(lib, dict, entry);
    }

    /** (bba{ss}): is_authorized, is_challenge, details ("polkit.dismissed" = "true" when dismissed). */
    private static Result readResult(LibDbus lib, Pointer reply, List<Memory> keep) throws IOException {
        Memory top = zeroed(keep);
        if (lib.dbus_message_iter_init(reply, top) == 0 || lib.dbus_message_iter_get_arg_type(top)
            != LibDbus.TYPE_STRUCT) {
            throw new IOException("polkit answered CheckAuthorization with an unexpected reply");
        }
        Memory result = zeroed(keep);
        lib.dbus_message_iter_recurse(top, result);
        boolean authorized = readBoolean(lib, result, keep);
        lib.dbus_message_iter_next(result);
        boolean challenge = readBoolean(lib, result, keep);
        lib.dbus_message_iter_next(result);
        boolean dismissed = false;
        if (lib.dbus_message_iter_get_arg_type(result) == LibDbus.TYPE_ARRAY) {
            Memory details = zeroed(keep);
            lib.dbus_message_iter_recurse(result, details);
            while (lib.dbus_message_iter_get_arg_type(details) == LibDbus.TYPE_DICT_ENTRY) {
                Memory entry = zeroed(keep);
                lib.dbus_message_iter_recurse(details, entry);
                String key = readString(lib, entry, keep);
                lib.dbus_message_iter_next(entry);
                String value = readString(lib, entry, keep);
                dismissed |= "polkit.dismissed".equals(key) && "true".equals(value);
                lib.dbus_message_iter_next(details);
            }
        }
        return new Result(authorized, challenge, dismissed);
    }

    private static boolean readBoolean(LibDbus lib, Pointer iter, List<Memory> keep) throws IOException {
        if (lib.dbus_message_iter_get_arg_type(iter) != LibDbus.TYPE_BOOLEAN) {
            throw new IOException("polkit's CheckAuthorization reply lacks a boolean");
        }
        Memory value = zeroed(keep);
        lib.dbus_message_iter_get_basic(iter, value);
        return value.getInt(0) != 0;
    }

    private static String readString(LibDbus lib, Pointer iter, List<Memory> keep) {
        if (lib.dbus_message_iter_get_arg_type(iter) != LibDbus.TYPE_STRING) {
            return null;
        }
        Memory value = zeroed(keep);
        lib.dbus_message_iter_get_basic(iter, value);
        return value.getPointer(0).getString(0);
    }

    private static void appendString(LibDbus lib, Pointer iter, String text, List<Memory> keep) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Memory chars = new Memory(bytes.length + 1L);
        chars.write(0, bytes, 0, bytes.length);
        chars.setByte(bytes.length, (byte) 0);
        Memory reference = new Memory(Native.POINTER_SIZE);
        reference.setPointer(0, chars);
        keep.add(chars);
        keep.add(reference);
        check(lib.dbus_message_iter_append_basic(iter, LibDbus.TYPE_STRING, reference));
    }

    private static void open(LibDbus lib, Pointer iter, int type, String signature, Pointer sub) throws IOException {
        check(lib.dbus_message_iter_open_container(iter, type, signature, sub));
    }

    private static void close(LibDbus lib, Pointer iter, Pointer sub) throws IOException {
        check(lib.dbus_message_iter_close_container(iter, sub));
    }

    private static void check(int ok) throws IOException {
        if (ok == 0) {
            throw new IOException("out of memory building a D-Bus message");
        }
    }

    private static Memory integer(int value, List<Memory> keep) {
        Memory memory = new Memory(4);
        memory.setInt(0, value);
        keep.add(memory);
        return memory;
    }

    private static Memory long64(long value, List<Memory> keep) {
        Memory memory = new Memory(8);
        memory.setLong(0, value);
        keep.add(memory);
        return memory;
    }

    private static Memory zeroed(List<Memory> keep) {
        Memory memory = new Memory(LibDbus.OPAQUE_SIZE);
        memory.clear();
        keep.add(memory);
        return memory;
    }

    private static IOException failure(LibDbus lib, Pointer error, String what) {
        String detail = lib.dbus_error_is_set(error) != 0 ? error.getPointer(8).getString(0) : what;
        lib.dbus_error_free(error);
        return new IOException(detail);
    }
}
