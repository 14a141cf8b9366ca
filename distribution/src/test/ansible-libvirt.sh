#!/usr/bin/env bash
# Ansible's community.libvirt modules (Debian's ansible package) against the assembled daemon: the playbook
# ansible/libvirt-modules.yml drives virt (define, list_vms, start, status, info, nodeinfo, virttype,
# freemem, get_xml, destroy, autostart, undefine) on test:///default, and virt_pool (define, build, start,
# info, facts, stop, undefine) and virt_net (define, list_nets, info, facts, undefine) on qemu:///system,
# asserting on what each module returns.
# Usage: ansible-libvirt.sh DIST_DIR
set -euo pipefail
. "$(dirname "$0")/prerequisite.sh"

need_programs ANSIBLE ansible-playbook || exit 0
prerequisite ANSIBLE "python3-libvirt and python3-lxml" /usr/bin/python3 -c 'import libvirt, lxml' || exit 0
prerequisite ANSIBLE "the community.libvirt collection (Debian package ansible)" \
  test -d /usr/lib/python3/dist-packages/ansible_collections/community/libvirt || exit 0
work=$(mktemp -d /tmp/jvirtd-ansible.XXXXXX)
dist=$(readlink -f "$1")
root=$work/root
socket=$root/run/libvirt/libvirt-sock
cleanup() {
  if [ -f "$root/run/jvirtd.pid" ]; then
    kill "$(cat "$root/run/jvirtd.pid")" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$dist/bin/jvirtd" -d --root "$root" || { echo "ANSIBLE FAIL: the daemon did not start" >&2; exit 1; }
out=$(ANSIBLE_NOCOLOR=1 ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_HOME="$work/ansible" \
  ansible-playbook -i localhost, "$(dirname "$0")/ansible/libvirt-modules.yml" \
  -e "test_uri=test+unix:///default?socket=$socket" -e "qemu_uri=qemu+unix:///system?socket=$socket" \
  -e "pool_dir=$work/pool" 2>&1) || { echo "$out" >&2; echo "ANSIBLE FAIL: the playbook failed" >&2; exit 1; }
recap=$(echo "$out" | grep -E '^localhost +:')
echo "$recap"
echo "$recap" | grep -q 'failed=0' || { echo "ANSIBLE FAIL: $recap" >&2; exit 1; }
echo "ANSIBLE OK"
