#!/bin/bash
# record-nwfilter-virsh.sh URI DIR — runs virsh's nwfilter and nwfilter-binding commands in the order
# VirshNwFilterTest runs them and prints each one's output as "### NAME" blocks, UUIDs replaced by UUID and
# DIR by DIR; run against libvirtd 9.0 (peer-libvirtd.sh, with libvirt-daemon-config-nwfilter's filters in its
# /etc/libvirt/nwfilter and a TAP vnet0 in its network namespace) it gives nwfilter-libvirtd.txt.
set -u
URI=$1 DIR=$2
mkdir -p "$DIR"
cat > "$DIR/web.xml" <<'XML'
<filter name='h15-web' chain='root'>
  <rule action='accept' direction='in' priority='500'>
    <tcp dstportstart='80' dstportend='443' srcipaddr='10.0.0.0' srcipmask='8'/>
  </rule>
  <rule action='drop' direction='inout' priority='600'>
    <all/>
  </rule>
</filter>
XML
echo "<filter name='bad' chain='bogus'/>" > "$DIR/bad-chain.xml"
echo "<filter name='bad'><rule action='drop' direction='in'><tcp dstportstart='70000'/></rule></filter>" > "$DIR/bad-port.xml"
echo "<filter name='h15-web'/>" > "$DIR/same-name.xml"
cat > "$DIR/binding.xml" <<'XML'
<filterbinding>
  <owner><name>vm1</name><uuid>d54df46f-1ab5-4a22-8618-4560ef5fac2c</uuid></owner>
  <portdev name='vnet0'/>
  <mac address='52:54:00:7b:35:93'/>
  <filterref filter='clean-traffic'><parameter name='IP' value='192.168.122.50'/></filterref>
</filterbinding>
XML
step() {
    local name=$1; shift
    echo "### $name"
    virsh -c "$URI" "$@" 2>&1 | sed -E "s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g; s#$DIR#DIR#g"
    echo "exit ${PIPESTATUS[0]}"
}
step list nwfilter-list
step define nwfilter-define "$DIR/web.xml"
step dumpxml nwfilter-dumpxml h15-web
step dumpxml-standard nwfilter-dumpxml no-arp-mac-spoofing
step define-bad-chain nwfilter-define "$DIR/bad-chain.xml"
step define-bad-port nwfilter-define "$DIR/bad-port.xml"
step define-same-name nwfilter-define "$DIR/same-name.xml"
step dumpxml-unknown nwfilter-dumpxml nonexist
step binding-create nwfilter-binding-create "$DIR/binding.xml"
step binding-list nwfilter-binding-list
step binding-dumpxml nwfilter-binding-dumpxml vnet0
step binding-create-again nwfilter-binding-create "$DIR/binding.xml"
step undefine-in-use nwfilter-undefine clean-traffic
step undefine-referenced nwfilter-undefine no-mac-spoofing
step binding-dumpxml-unknown nwfilter-binding-dumpxml vnet9
step binding-delete nwfilter-binding-delete vnet0
step binding-delete-again nwfilter-binding-delete vnet0
step binding-list-empty nwfilter-binding-list
step undefine nwfilter-undefine h15-web
step undefine-unknown nwfilter-undefine h15-web
