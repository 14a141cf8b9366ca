package org.jvirtd.rpc.procedures;

import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_ARGS;
import static org.jvirtd.rpc.dispatch.ProcedureTable.NO_RET;

import java.util.List;
import java.util.function.BiConsumer;

import org.jvirtd.api.ErrorCode;
import org.jvirtd.api.ErrorDomain;
import org.jvirtd.api.VirtErrors;
import org.jvirtd.api.VirtException;
import org.jvirtd.api.connect.Connection;
import org.jvirtd.api.domain.DomainFlags;
import org.jvirtd.api.domain.DomainInfo;
import org.jvirtd.api.domain.DomainRef;
import org.jvirtd.api.domain.DomainStatus;
import org.jvirtd.rpc.dispatch.Call;
import org.jvirtd.rpc.dispatch.ProcedureTable;
import org.jvirtd.rpc.dispatch.RemoteProcedure;
import org.jvirtd.rpc.protocol.DomainArgs.Autostart;
import org.jvirtd.rpc.protocol.DomainArgs.DomainAndFlags;
import org.jvirtd.rpc.protocol.DomainArgs.DomainXml;
import org.jvirtd.rpc.protocol.DomainArgs.DomainXmlFlags;
import org.jvirtd.rpc.protocol.DomainArgs.GetMetadata;
import org.jvirtd.rpc.protocol.DomainArgs.SetMetadata;
import org.jvirtd.rpc.protocol.DomainArgs.ListAll;
import org.jvirtd.rpc.protocol.DomainArgs.Restore;
import org.jvirtd.rpc.protocol.DomainArgs.Save;
import org.jvirtd.rpc.protocol.DomainArgs.SetMemory;
import org.jvirtd.rpc.protocol.DomainArgs.XmlFlags;
import org.jvirtd.rpc.protocol.Types;
import org.jvirtd.rpc.wire.Protocol;
import org.jvirtd.rpc.xdr.XdrWriter;

/** The domain procedures: lookups, lists, define/undefine, lifecycle, save/restore, XML, info, devices. */
public final class DomainProcedures {
    private static final BiConsumer<XdrWriter, DomainRef> DOMAIN = Types::writeDomain;

    public void bindTo(ProcedureTable table) {
        bindLookups(table);
        bindLifecycle(table);
        bindQueries(table);
    }

    private void bindLookups(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, Types::readString, DOMAIN,
            (call, name) -> call.connection().lookupByName(name));
        table.bind(RemoteProcedure.DOMAIN_LOOKUP_BY_UUID, in -> in.readUuid(), DOMAIN,
            (call, uuid) -> call.connection().lookupByUuid(uuid));
        table.bind(RemoteProcedure.DOMAIN_LOOKUP_BY_ID, in -> in.readInt(), DOMAIN,
            (call, id) -> call.connection().lookupById(id));
        table.answerAtOnce(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, RemoteProcedure.DOMAIN_LOOKUP_BY_UUID);
        table.bind(RemoteProcedure.CONNECT_LIST_ALL_DOMAINS, ListAll::read, DomainProcedures::writeListAll,
            (call, args) -> {
                List<DomainRef> domains = call.connection().listAllDomains(args.flags());
                checkListSize(domains.size(), "domains");
                return new ListAllResult(args.needResults() ? domains : List.of(), domains.size());
            });
        table.bind(RemoteProcedure.CONNECT_NUM_OF_DOMAINS, NO_ARGS, Types::writeInt,
            (call, args) -> call.connection().listAllDomains(DomainFlags.LIST_ACTIVE).size());
        table.bind(RemoteProcedure.CONNECT_NUM_OF_DEFINED_DOMAINS, NO_ARGS, Types::writeInt,
            (call, args) -> call.connection().listAllDomains(DomainFlags.LIST_INACTIVE).size());
        table.bind(RemoteProcedure.CONNECT_LIST_DOMAINS, in -> in.readInt(),
            (XdrWriter out, List<Integer> ids) -> out.writeArray(ids, XdrWriter::writeInt), (call, max) -> {
                checkRequested(max, "maxids");
                return call.connection().listAllDomains(DomainFlags.LIST_ACTIVE).stream().limit(max)
                    .map(DomainRef::id).toList();
            });
        table.bind(RemoteProcedure.CONNECT_LIST_DEFINED_DOMAINS, in -> in.readInt(),
            (XdrWriter out, List<String> names) -> out.writeArray(names, XdrWriter::writeString), (call, max) -> {
                checkRequested(max, "maxnames");
                return call.connection().listAllDomains(DomainFlags.LIST_INACTIVE).stream().limit(max)
                    .map(DomainRef::name).toList();
            });
    }

    private void bindLifecycle(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_DEFINE_XML, Types::readString, DOMAIN,
            (call, xml) -> call.connection().define(xml, 0));
        table.bind(RemoteProcedure.DOMAIN_DEFINE_XML_FLAGS, XmlFlags::read, DOMAIN,
            (call, args) -> call.connection().define(args.xml(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_CREATE_XML, XmlFlags::read, DOMAIN,
            (call, args) -> call.connection().createXml(args.xml(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_UNDEFINE, Types::readDomain, NO_RET,
            (call, dom) -> run(() -> call.connection().undefine(dom, 0)));
        table.bind(RemoteProcedure.DOMAIN_UNDEFINE_FLAGS, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().undefine(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_CREATE, Types::readDomain, NO_RET,
            (call, dom) -> run(() -> call.connection().create(dom, 0)));
        table.bind(RemoteProcedure.DOMAIN_CREATE_WITH_FLAGS, DomainAndFlags::read, DOMAIN,
            (call, args) -> call.connection().create(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SHUTDOWN, Types::readDomain, NO_RET,
            (call, dom) -> run(() -> call.connection().shutdown(dom, 0)));
        table.bind(RemoteProcedure.DOMAIN_SHUTDOWN_FLAGS, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().shutdown(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_REBOOT, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().reboot(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_DESTROY, Types::readDomain, NO_RET,
            (call, dom) -> run(() -> call.connection().destroy(dom, 0)));
        table.bind(RemoteProcedure.DOMAIN_DESTROY_FLAGS, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().destroy(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SUSPEND, Types::readDomain, NO_RET,
            (call, dom) -> run(() -> call.connection().suspend(dom)));
        table.bind(RemoteProcedure.DOMAIN_RESUME, Types::readDomain, NO_RET,
            (call, dom) -> run(() -> call.connection().resume(dom)));
        table.bind(RemoteProcedure.DOMAIN_SAVE, Save::readPlain, NO_RET, DomainProcedures::save);
        table.bind(RemoteProcedure.DOMAIN_SAVE_FLAGS, Save::readWithFlags, NO_RET, DomainProcedures::save);
        table.bind(RemoteProcedure.DOMAIN_RESTORE, Restore::readPlain, NO_RET, DomainProcedures::restore);
        table.bind(RemoteProcedure.DOMAIN_RESTORE_FLAGS, Restore::readWithFlags, NO_RET, DomainProcedures::restore);
        table.bind(RemoteProcedure.DOMAIN_MANAGED_SAVE, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().managedSave(args.dom(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_MANAGED_SAVE_REMOVE, DomainAndFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().managedSaveRemove(args.dom())));
        table.bind(RemoteProcedure.DOMAIN_SET_AUTOSTART, Autostart::read, NO_RET,
            (call, args) -> run(() -> call.connection().setAutostart(args.dom(), args.autostart())));
        table.bind(RemoteProcedure.DOMAIN_ATTACH_DEVICE, DomainXml::read, NO_RET,
            (call, args) -> run(() -> call.connection().attachDevice(args.dom(), args.xml(), DomainFlags.AFFECT_LIVE)));
        table.bind(RemoteProcedure.DOMAIN_ATTACH_DEVICE_FLAGS, DomainXmlFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().attachDevice(args.dom(), args.xml(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_DETACH_DEVICE, DomainXml::read, NO_RET,
            (call, args) -> run(() -> call.connection().detachDevice(args.dom(), args.xml(), DomainFlags.AFFECT_LIVE)));
        table.bind(RemoteProcedure.DOMAIN_DETACH_DEVICE_FLAGS, DomainXmlFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().detachDevice(args.dom(), args.xml(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_DETACH_DEVICE_ALIAS, DomainXmlFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().detachDeviceAlias(args.dom(), args.xml(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_UPDATE_DEVICE_FLAGS, DomainXmlFlags::read, NO_RET,
            (call, args) -> run(() -> call.connection().updateDevice(args.dom(), args.xml(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_SET_MEMORY, in -> new SetMemory(Types.readDomain(in), in.readHyper(),
            DomainFlags.AFFECT_LIVE), NO_RET, DomainProcedures::setMemory);
        table.bind(RemoteProcedure.DOMAIN_SET_MEMORY_FLAGS, SetMemory::read, NO_RET, DomainProcedures::setMemory);
    }

    private void bindQueries(ProcedureTable table) {
        table.bind(RemoteProcedure.DOMAIN_GET_XML_DESC, DomainAndFlags::read, XdrWriter::writeString, (call, args) -> {
            if (call.client().readOnly() && (args.flags() & DomainFlags.XML_SECURE) != 0) {
                throw new VirtException(ErrorCode.OPERATION_DENIED, ErrorDomain.DOMAIN,
                    "virDomainGetXMLDesc with secure flag");
            }
            return call.connection().xml(args.dom(), args.flags());
        });
        table.bind(RemoteProcedure.DOMAIN_GET_INFO, Types::readDomain, DomainProcedures::writeInfo,
            (call, dom) -> call.connection().info(dom));
        table.bind(RemoteProcedure.DOMAIN_GET_STATE, DomainAndFlags::read, (XdrWriter out, DomainStatus status) ->
            out.writeInt(status.state().number()).writeInt(status.reason()),
            (call, args) -> call.connection().status(args.dom()));
        table.bind(RemoteProcedure.DOMAIN_IS_ACTIVE, Types::readDomain, Types::writeBool,
            (call, dom) -> call.connection().isActive(dom));
        table.bind(RemoteProcedure.DOMAIN_IS_PERSISTENT, Types::readDomain, Types::writeBool,
            (call, dom) -> call.connection().isPersistent(dom));
        table.bind(RemoteProcedure.DOMAIN_GET_AUTOSTART, Types::readDomain, Types::writeBool,
            (call, dom) -> call.connection().autostart(dom));
        table.bind(RemoteProcedure.DOMAIN_HAS_MANAGED_SAVE_IMAGE, DomainAndFlags::read, Types::writeBool,
            (call, args) -> call.connection().hasManagedSave(args.dom()));
        table.bind(RemoteProcedure.DOMAIN_GET_SECURITY_LABEL, Types::readDomain,
            (XdrWriter out, Connection.SecurityLabel label) -> {
                Types.writeCharArray(out, label.label());
                out.writeInt(label.enforcing() ? 1 : 0);
            }, (call, dom) -> call.connection().securityLabel(dom));
        table.bind(RemoteProcedure.DOMAIN_GET_OS_TYPE, Types::readDomain, XdrWriter::writeString,
            (call, dom) -> call.connection().osType(dom));
        table.bind(RemoteProcedure.DOMAIN_GET_VCPUS_FLAGS, DomainAndFlags::read, Types::writeInt,
            (call, args) -> call.connection().vcpus(args.dom(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_GET_METADATA, GetMetadata::read, XdrWriter::writeString,
            (call, args) -> call.connection().metadata(args.dom(), args.type(), args.uri(), args.flags()));
        table.bind(RemoteProcedure.DOMAIN_SET_METADATA, SetMetadata::read, NO_RET,
            (call, args) -> run(() -> call.connection().setMetadata(args.dom(), args.type(), args.metadata(),
                args.key(), args.uri(), args.flags())));
        table.bind(RemoteProcedure.DOMAIN_GET_MESSAGES, DomainAndFlags::read,
            (XdrWriter out, List<String> messages) -> out.writeArray(messages, XdrWriter::writeString),
            (call, args) -> {
                List<String> messages = call.connection().messages(args.dom(), args.flags());
                if (messages.size() > Protocol.DOMAIN_MESSAGES_MAX) {
                    throw VirtErrors.internal(ErrorDomain.RPC, "too many messages '" + messages.size()
                        + "' for limit '" + Protocol.DOMAIN_MESSAGES_MAX + "'");
                }
                return messages;
            });
    }

    record ListAllResult(List<DomainRef> domains, int count) {
    }

    private static void writeListAll(XdrWriter out, ListAllResult result) {
        out.writeArray(result.domains(), Types::writeDomain);
        out.writeInt(result.count());
    }

    /** remote_domain_get_info_ret: state (unsigned char), maxMem, memory, nrVirtCpu (unsigned short), cpuTime. */
    private static void writeInfo(XdrWriter out, DomainInfo info) {
        out.writeInt(info.state().number()).writeHyper(info.maxMemoryKiB()).writeHyper(info.memoryKiB())
            .writeInt(info.vcpus()).writeHyper(info.cpuTimeNanos());
    }

    private static Void save(Call call, Save args) {
        call.connection().save(args.dom(), args.to(), args.dxml(), args.flags());
        return null;
    }

    private static Void restore(Call call, Restore args) {
        call.connection().restore(args.from(), args.dxml(), args.flags());
        return null;
    }

    private static Void setMemory(Call call, SetMemory args) {
        call.connection().setMemory(args.dom(), args.memoryKiB(), args.flags());
        return null;
    }

    private static Void run(Runnable action) {
        action.run();
        return null;
    }

    private static void checkListSize(int size, String what) {
        if (size > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC,
                "Too many " + what + " '" + size + "' for limit '" + Protocol.LIST_MAX + "'");
        }
    }

    private static void checkRequested(int max, String what) {
        if (max < 0 || max > Protocol.LIST_MAX) {
            throw new VirtException(ErrorCode.RPC, ErrorDomain.RPC, what + " > REMOTE_DOMAIN_LIST_MAX");
        }
    }
}
