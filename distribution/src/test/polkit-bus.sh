# Sourced by the polkit tests: a private D-Bus system bus in $work/bus (exported as DBUS_SYSTEM_BUS_ADDRESS, so
# the daemon started after it asks there) and polkitd in a mount namespace of its own that sees $work/rules.d as
# /etc/polkit-1/rules.d and $work/actions as /usr/share/polkit-1/actions. Sets bus_pid and polkitd_pid for the
# caller's cleanup. Usage: start_private_polkit (after filling $work/rules.d and $work/actions)
start_private_polkit() {
  local allow="" type
  for type in method_call method_return error signal; do
    allow="$allow<allow send_type=\"$type\"/><allow receive_type=\"$type\"/>"
  done
  cat > "$work/bus.conf" <<BUS
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path=$work/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/>$allow</policy></busconfig>
BUS
  export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$work/bus
  dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile > "$work/bus.log" 2>&1 &
  bus_pid=$!
  for _ in $(seq 100); do [ -S "$work/bus" ] && break; sleep 0.1; done
  unshare --mount --propagation private sh -c 'mount --bind "$1" /etc/polkit-1/rules.d &&
    mount --bind "$2" /usr/share/polkit-1/actions && exec /usr/lib/polkit-1/polkitd --no-debug' polkitd \
    "$work/rules.d" "$work/actions" > "$work/polkitd.log" 2>&1 &
  polkitd_pid=$!
  for _ in $(seq 100); do
    dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.PolicyKit1 2>/dev/null | grep -q 'boolean true' && break
    sleep 0.1
  done
}
