# virNetworkPortGetParameters/SetParameters through libvirt-python on an isolated network: the port's
# bandwidth as typed parameters, a set that replaces it, the floor refused on a network without inbound QoS,
# flags refused. Prints what it sees; NetworkPortParametersTest compares it with libvirtd 9.0's run of it.
# Usage: net-port-parameters.py URI
import sys
import libvirt

libvirt.registerErrorHandler(lambda ctx, err: None, None)
c = libvirt.open(sys.argv[1])
net = c.networkCreateXML("<network><name>h21pp</name><bridge name='h21pp0'/>"
                         "<ip address='192.168.212.1' netmask='255.255.255.0'/></network>")
PORT = ("<networkport><uuid>5d2bd9d0-63c4-4b4a-9a4e-1c0f6f2c2b11</uuid><owner><name>vm</name>"
        "<uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid></owner><mac address='52:54:00:11:22:33'/>%s"
        "</networkport>")


def error(what, call):
    try:
        call()
        print(what, "no error")
    except libvirt.libvirtError as e:
        print(what, "error", e.get_error_code(), e.get_error_domain(), e.get_error_message())


error("create with a floor", lambda: net.portCreateXML(PORT % "<bandwidth><inbound average='10' floor='5'/></bandwidth>", 0))
port = net.portCreateXML(PORT % ("<bandwidth><inbound average='10' peak='20' burst='30'/>"
                                 "<outbound average='40' peak='50' burst='60'/></bandwidth>"), 0)
print("created", sorted(port.parameters(0).items()))
print(port.XMLDesc(0))
full = {"inbound.average": 100, "inbound.peak": 200, "inbound.burst": 300,
        "outbound.average": 50, "outbound.peak": 60, "outbound.burst": 70}
for params in (full, {"inbound.floor": 10}, {"inbound.average": 100, "inbound.floor": 10},
               {"inbound.average": 4000000000, "outbound.average": 1}, {"inbound.peak": 7, "outbound.average": 8}):
    try:
        port.setParameters(params, 0)
        print("set", sorted(params.items()), "->", list(port.parameters(0).items()))
    except libvirt.libvirtError as e:
        print("set", sorted(params.items()), "error", e.get_error_code(), e.get_error_domain(), e.get_error_message())
print(port.XMLDesc(0))
error("get with flags", lambda: port.parameters(1))
error("set with flags", lambda: port.setParameters({"outbound.average": 1}, 1))
port.setParameters({"outbound.peak": 5}, 0)
print("set outbound.peak alone ->", port.parameters(0))
print(port.XMLDesc(0))
try:
    port.setParameters({"outbound.average": 1}, 0)
except LookupError as e:
    print("python refuses a port without limits:", e)
port.delete(0)
net.destroy()
