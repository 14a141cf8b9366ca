# Drives the secret API of a daemon with the real libvirt-python (python3-libvirt 9.0.0); prints one line per
# check. Run against libvirtd 9.0 it printed the lines PythonSecretClientTest expects.
import sys
import threading
import libvirt

uri = sys.argv[1]
U1 = "5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c2"
U2 = "5e1a0b2c-0d3e-4f5a-8b6c-7d8e9fa0b1c3"

libvirt.virEventRegisterDefaultImpl()
conn = libvirt.open(uri)
events = []
def on_lifecycle(c, secret, event, detail, opaque):
    events.append(("lifecycle", secret.UUIDString(), event, detail))
def on_value(c, secret, opaque):
    events.append(("value", secret.UUIDString()))
cb1 = conn.secretEventRegisterAny(None, libvirt.VIR_SECRET_EVENT_ID_LIFECYCLE, on_lifecycle, None)
stop = False
def loop():
    while not stop:
        libvirt.virEventRunDefaultImpl()
runner = threading.Thread(target=loop, daemon=True)
runner.start()

def err(f):
    try:
        f()
        print("no error")
    except libvirt.libvirtError as e:
        print(e.get_error_code(), e.get_error_domain(), e.get_error_message())

s1 = conn.secretDefineXML("<secret ephemeral='no' private='no'><uuid>" + U1 + "</uuid>"
                          "<usage type='tls'><name>py-tls</name></usage></secret>")
cb2 = conn.secretEventRegisterAny(s1, libvirt.VIR_SECRET_EVENT_ID_VALUE_CHANGED, on_value, None)
s2 = conn.secretDefineXML("<secret ephemeral='yes' private='yes'><uuid>" + U2 + "</uuid>"
                          "<usage type='vtpm'><name>py-vtpm</name></usage></secret>")
print("defined", s1.UUIDString(), s1.usageType(), s1.usageID(), s2.usageType(), s2.usageID())
found = conn.secretLookupByUsage(libvirt.VIR_SECRET_USAGE_TYPE_TLS, "py-tls")
print("by usage", found.UUIDString(), found.usageID())
err(lambda: conn.secretLookupByUsage(libvirt.VIR_SECRET_USAGE_TYPE_CEPH, "py-tls"))
print("by uuid", conn.secretLookupByUUIDString(U2).usageID())
mine = lambda secrets: sorted(s.UUIDString() for s in secrets if s.UUIDString() in (U1, U2))
print("all", mine(conn.listAllSecrets()))
print("ephemeral", mine(conn.listAllSecrets(libvirt.VIR_CONNECT_LIST_SECRETS_EPHEMERAL)))
print("no-private", mine(conn.listAllSecrets(libvirt.VIR_CONNECT_LIST_SECRETS_NO_PRIVATE)))
print("old list", sorted(u for u in conn.listSecrets() if u in (U1, U2)), conn.numOfSecrets() >= 2)
err(lambda: conn.listAllSecrets(64))
value = bytes(range(256))
s1.setValue(value)
print("binary value back", s1.value() == value)
s2.setValue(b"x")
err(lambda: s2.value())
err(lambda: s1.value(1))
err(lambda: s1.XMLDesc(1))
err(lambda: conn.secretDefineXML("<secret/>", 2))
err(lambda: conn.secretDefineXML("<secret private='no'><uuid>" + U2 + "</uuid><usage type='vtpm'><name>py-vtpm</name></usage></secret>"))
print(s2.XMLDesc().replace("\n", "|"))
s1.undefine()
s2.undefine()
err(lambda: s1.XMLDesc())
err(lambda: conn.secretLookupByUUIDString(U1))
import time
for _ in range(50):
    if len(events) >= 5:
        break
    time.sleep(0.1)
print("events", events)
conn.secretEventDeregisterAny(cb1)
conn.secretEventDeregisterAny(cb2)
err(lambda: conn.secretEventDeregisterAny(cb2))
stop = True
conn.close()
