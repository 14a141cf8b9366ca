package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;

import java.util.List;

import org.jvirtd.platform.sasl.SaslServerSession;
import org.jvirtd.rpc.auth.ClientAuth;
import org.jvirtd.rpc.dispatch.ConnectionScope;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.xdr.XdrException;
import org.jvirtd.rpc.xdr.XdrReader;
import org.jvirtd.rpc.xdr.XdrWriter;

/**
 * The authentication procedures: AUTH_LIST, the SASL exchange (INIT, START, STEP) and AUTH_POLKIT. The
 * SASL data travels as remote_protocol.x's {@code char data<>}: one XDR int per byte.
 */
public final class AuthProcedures {
    /** remote_auth_sasl_start_args: mechanism, nil flag, data. */
    record StartArgs(String mechanism, byte[] data) {
    }

    public void bindTo(ProcedureTable table) {
        table.bind(RemoteProcedure.AUTH_LIST, NO_ARGS,
            (XdrWriter out, List<Integer> types) -> out.writeArray(types, XdrWriter::writeInt),
            ConnectionScope.NONE, (call, args) -> List.of(call.client().auth().list()));
        table.bind(RemoteProcedure.AUTH_SASL_INIT, NO_ARGS, XdrWriter::writeString, ConnectionScope.NONE,
            (call, args) -> call.client().auth().saslInit());
        table.bind(RemoteProcedure.AUTH_SASL_START,
            in -> new StartArgs(in.readString(Integer.MAX_VALUE), readData(in)), AuthProcedures::writeStep,
            ConnectionScope.NONE, (call, args) -> call.client().auth().saslStart(args.mechanism(), args.data()));
        table.bind(RemoteProcedure.AUTH_SASL_STEP, AuthProcedures::readData, AuthProcedures::writeStep,
            ConnectionScope.NONE, (call, data) -> call.client().auth().saslStep(data));
        table.bind(RemoteProcedure.AUTH_POLKIT, NO_ARGS, (XdrWriter out, Integer complete) -> out.writeInt(complete),
            ConnectionScope.NONE, (call, args) -> {
                call.client().auth().polkit();
                return 1;
            });
    }

    /** {@code int nil; char data<REMOTE_AUTH_SASL_DATA_MAX>}: null when nil is set. */
    static byte[] readData(XdrReader in) {
        boolean nil = in.readInt() != 0;
        List<Integer> chars = in.readArray(ClientAuth.SASL_DATA_MAX, 4, XdrReader::readInt);
        byte[] data = new byte[chars.size()];
        for (int i = 0; i < data.length; i++) {
            int c = chars.get(i);
            if (c < -128 || c > 255) {
                throw new XdrException("SASL data byte out of range: " + c);
            }
            data[i] = (byte) c;
        }
        return nil ? null : data;
    }

    /** {@code int complete; int nil; char data<>}. */
    static void writeStep(XdrWriter out, SaslServerSession.Step step) {
        byte[] data = step.output();
        out.writeInt(step.complete() ? 1 : 0);
        out.writeInt(data == null ? 1 : 0);
        int length = data == null ? 0 : data.length;
        out.writeInt(length);
        for (int i = 0; i < length; i++) {
            out.writeInt(data[i]);
        }
    }
}
