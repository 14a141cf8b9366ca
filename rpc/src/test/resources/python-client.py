# Drives the jvirtd RPC server with the real libvirt-python (python3-libvirt 9.0.0); prints one line
# per check so the Java test can compare.
import sys
import threading
import libvirt

uri = sys.argv[1]
xml = """<domain type='test'><name>py1</name><uuid>1b4e28ba-2fa1-11d2-883f-0016d3cca427</uuid>
<memory unit='KiB'>65536</memory><vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os></domain>"""

libvirt.virEventRegisterDefaultImpl()
conn = libvirt.open(uri)
print("type", conn.getType())
print("uri", conn.getURI())
print("secure", conn.isSecure())
print("alive", conn.isAlive())
events = []
def on_lifecycle(c, dom, event, detail, opaque):
    events.append((dom.name(), event, detail))
cb = conn.domainEventRegisterAny(None, libvirt.VIR_DOMAIN_EVENT_ID_LIFECYCLE, on_lifecycle, None)
legacy = []
def on_legacy(c, dom, event, detail, opaque):
    legacy.append((dom.name(), event, detail))
conn.domainEventRegister(on_legacy, None)
stop = False
def loop():
    while not stop:
        libvirt.virEventRunDefaultImpl()
runner = threading.Thread(target=loop, daemon=True)
runner.start()

dom = conn.defineXML(xml)
print("defined", dom.name(), dom.UUIDString(), dom.ID())
dom.create()
print("state", dom.state())
print("info", dom.info()[0], dom.info()[1], dom.info()[3])
print("active", dom.isActive(), "persistent", dom.isPersistent())
print("lookup", conn.lookupByName("py1").UUIDString() == dom.UUIDString(),
      conn.lookupByID(dom.ID()).name(), conn.lookupByUUIDString(dom.UUIDString()).name())
print("listed", sorted(d.name() for d in conn.listAllDomains()))
try:
    conn.lookupByName("nope")
except libvirt.libvirtError as e:
    print("missing", e.get_error_code(), e.get_error_message())
try:
    dom.setSchedulerParameters({"cpu_shares": 1})
except libvirt.libvirtError as e:
    print("unsupported", e.get_error_code(), e.get_error_domain())

results = []
def worker(n):
    c = libvirt.open(uri)
    ok = sum(1 for _ in range(50) if c.lookupByName("py1").name() == "py1" and c.getHostname())
    results.append(ok)
    c.close()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print("concurrent", sorted(results))

dom.destroy()
dom.undefine()
import time
deadline = time.time() + 5
while (len(events) < 4 or len(legacy) < 4) and time.time() < deadline:
    time.sleep(0.05)
print("events", events)
print("legacy", legacy)
conn.domainEventDeregister(on_legacy)
conn.domainEventDeregisterAny(cb)
stop = True
conn.close()
