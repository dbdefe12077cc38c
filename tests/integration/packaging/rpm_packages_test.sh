#!/usr/bin/env bash
# "The RPMs install the agent and the manager with the right files, owners and modes, and the
# systemd units are valid": builds both RPMs from the current tree (reusing the binaries in
# MHA_BIN), checks every file of the hand-written manifest below in `rpm -qplv` (and nothing
# else is packaged), installs both into a scratch root with `rpm --root`, checks the layout,
# runs the installed binaries (each masterha_* name reaching its own command), checks what the
# units promise (user, reload, restart policy) and runs `systemd-analyze verify` on them. Also
# checks the spec bundles the Boost 1.81 headers on RHEL < 10 only (rpmspec with %rhel defined).
# Every tool it needs is installed by scripts/install-deps: a missing one fails the test.
set -euo pipefail

: "${MHA_BIN:?MHA_BIN (the bin directory of the build) is required}"
: "${MHA_SOURCE:?MHA_SOURCE (the source tree) is required}"
for tool in rpm rpmbuild rpmspec systemd-analyze; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/mha-rpm-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# The manifest: package, type+mode (ls -l notation), owner, group, path [-> link target].
# Written by hand from the issue and DESIGN.md, not from the spec.
manifest="$work/manifest"
cat >"$manifest" <<'EOF'
mha-agent   -rwxr-xr-x root  root  /usr/bin/mha-agent
mha-agent   -rwxr-xr-x root  root  /usr/bin/purge_relay_logs
mha-agent   -rw-r--r-- root  root  /usr/lib/systemd/system/mha-agent.service
mha-agent   drwxr-xr-x root  root  /etc/mha
mha-agent   drwxr-x--- root  mysql /etc/mha/tls
mha-agent   -rw-r----- root  mysql /etc/mha/agent.cnf
mha-agent   -rw-r--r-- root  root  /etc/logrotate.d/mha-agent
mha-agent   -rw-r--r-- root  root  /etc/cron.d/mha-purge-relay-logs
mha-agent   drwxr-x--- mysql mysql /var/log/mha-agent
mha-manager -rwxr-xr-x root  root  /usr/bin/mhactl
mha-manager -rwxr-xr-x root  root  /usr/bin/mha-manager
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_manager -> mha-manager
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_master_monitor -> mha-manager
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_check_repl -> mhactl
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_check_ssh -> mhactl
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_check_status -> mhactl
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_stop -> mhactl
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_conf_host -> mhactl
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_master_switch -> mhactl
mha-manager lrwxrwxrwx root  root  /usr/bin/masterha_secondary_check -> mhactl
mha-manager -rwxr-xr-x root  root  /usr/bin/mha-certs
mha-manager -rw-r--r-- root  root  /usr/lib/systemd/system/mha-manager@.service
mha-manager -rw-r--r-- root  root  /usr/lib/systemd/system/mha-manager.service
mha-manager -rw-r----- root  root  /etc/mha/manager.cnf
mha-manager drwxr-xr-x root  root  /etc/mha/apps.d
mha-manager drwxr-xr-x root  root  /etc/mha
mha-manager -rw-r--r-- root  root  /etc/sysconfig/mha-manager
mha-manager -rw-r--r-- root  root  /etc/logrotate.d/mha-manager
mha-manager drwxr-xr-x root  root  /usr/share/mha
mha-manager drwxr-xr-x root  root  /usr/share/mha/hooks
mha-manager -rwxr-xr-x root  root  /usr/share/mha/hooks/master_ip_failover
mha-manager -rwxr-xr-x root  root  /usr/share/mha/hooks/master_ip_online_change
mha-manager -rwxr-xr-x root  root  /usr/share/mha/hooks/power_manager
mha-manager -rwxr-xr-x root  root  /usr/share/mha/hooks/send_report
mha-manager drwxr-xr-x root  root  /usr/share/mha/samples
mha-manager -rw-r--r-- root  root  /usr/share/mha/samples/app1.cnf
mha-manager drwxr-x--- root  root  /var/log/mha
mha-manager drwxr-x--- root  root  /var/lib/mha
EOF
config_files="/etc/mha/agent.cnf /etc/logrotate.d/mha-agent /etc/cron.d/mha-purge-relay-logs
/etc/sysconfig/mha-manager /etc/logrotate.d/mha-manager /etc/mha/manager.cnf"

echo "== packaging/rpm/build"
"$MHA_SOURCE/packaging/rpm/build" --out "$work/rpms" --build-dir "$(dirname "$MHA_BIN")" \
    >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; echo "FAIL: build" >&2; exit 1; }
rpm_of() {
    local found
    found=$(find "$work/rpms" -name "$1-[0-9]*.rpm" -print -quit)
    [ -n "$found" ] || { cat "$work/build.log" >&2; echo "FAIL: no $1 RPM" >&2; exit 1; }
    echo "$found"
}
agent_rpm=$(rpm_of mha-agent)
manager_rpm=$(rpm_of mha-manager)
echo "built $(basename "$agent_rpm") $(basename "$manager_rpm")"

echo "== rpm -qplv against the manifest"
# One line per packaged file: mode owner group path [-> target].
for pkg in mha-agent mha-manager; do
    rpm -qplv "$(rpm_of $pkg)" | awk -v pkg="$pkg" '{
        line = pkg " " $1 " " $3 " " $4; for (i = 9; i <= NF; i++) line = line " " $i; print line }'
done | sort >"$work/listed"
awk '{ $1 = $1; print }' "$manifest" | sort >"$work/expected"
while IFS= read -r line; do
    grep -qxF "$line" "$work/listed" || fail "not packaged as expected: $line"
done <"$work/expected"
while IFS= read -r line; do
    grep -qxF "$line" "$work/expected" || fail "packaged but not in the manifest: $line"
done <"$work/listed"

# (Outputs are captured first: `rpm … | grep -q` fails under pipefail when grep exits early.)
configs=$(rpm -qpc "$agent_rpm" "$manager_rpm")
for file in $config_files; do
    grep -qxF "$file" <<<"$configs" || fail "$file is not %config"
done
grep -qx 'mha4mysql-node' <<<"$(rpm -qp --conflicts "$agent_rpm")" ||
    fail "mha-agent lacks Conflicts: mha4mysql-node"
grep -qx 'mha4mysql-manager' <<<"$(rpm -qp --conflicts "$manager_rpm")" ||
    fail "mha-manager lacks Conflicts: mha4mysql-manager"
if grep -Eq '\.(key|pem)$' <<<"$(rpm -qpl "$agent_rpm" "$manager_rpm")"; then
    fail "a package ships a key or certificate (they are made at install by the operator)"
fi
project_version=$(sed -n 's/^project(mha VERSION \([0-9.]*\).*/\1/p' "$MHA_SOURCE/CMakeLists.txt")
[ "$(rpm -qp --queryformat '%{VERSION}' "$agent_rpm")" = "$project_version" ] ||
    fail "package version differs from the project's ($project_version)"

echo "== Boost: the headers of the Boost 1.81 tarball on RHEL < 10, the system's elsewhere"
# RHEL 9 ships Boost 1.75 and the code needs 1.81. The spec as rpm reads it for RHEL 9, RHEL 10
# and a host without %rhel (this one); the RPMs built here must not claim a bundled Boost.
spec="$MHA_SOURCE/packaging/rpm/mha.spec"
boost_url='https://archives.boost.io/release/1.81.0/source/boost_1_81_0.tar.bz2'
boost_flags='-DBOOST_ROOT="$PWD/boost_1_81_0" -DBoost_NO_SYSTEM_PATHS=ON -DBoost_NO_BOOST_CMAKE=ON'
for target in 'rhel 9' 'rhel 10' 'no rhel'; do
    defines=()
    [ "$target" = 'no rhel' ] || defines=(--define "$target")
    parsed="" provides="" buildrequires=""
    if ! parsed=$(rpmspec -P "${defines[@]}" "$spec" 2>&1) ||
        ! provides=$(rpmspec -q "${defines[@]}" --qf '[%{=NAME} %{PROVIDENEVRS}\n]' "$spec" 2>&1) ||
        ! buildrequires=$(rpmspec -q "${defines[@]}" --buildrequires "$spec" 2>&1); then
        fail "rpmspec ($target): $parsed $provides $buildrequires"
        continue
    fi
    if [ "$target" = 'rhel 9' ]; then
        grep -qxE "Source1:[[:space:]]+$boost_url" <<<"$parsed" ||
            fail "$target: no Source1 $boost_url"
        for pkg in mha-agent mha-manager; do
            grep -qxF "$pkg bundled(boost) = 1.81.0" <<<"$provides" ||
                fail "$target: $pkg lacks Provides: bundled(boost) = 1.81.0"
        done
        grep -qE '^tar -xjf [^ ]*/boost_1_81_0\.tar\.bz2 boost_1_81_0/boost ' <<<"$parsed" ||
            fail "$target: %prep does not unpack the Boost headers"
        grep -qF -- "$boost_flags" <<<"$parsed" || fail "$target: cmake lacks $boost_flags"
        if grep -q boost-devel <<<"$buildrequires"; then
            fail "$target: BuildRequires boost-devel"
        fi
    else
        if grep -qE '^Source1:|BOOST_ROOT' <<<"$parsed"; then
            fail "$target: has Source1 or BOOST_ROOT"
        fi
        if grep -qF 'bundled(boost)' <<<"$provides"; then
            fail "$target: Provides bundled(boost)"
        fi
        grep -qx 'boost-devel >= 1.81' <<<"$buildrequires" ||
            fail "$target: does not BuildRequire boost-devel >= 1.81"
    fi
done
if grep -qF 'bundled(boost)' <<<"$(rpm -qp --provides "$agent_rpm" "$manager_rpm")"; then
    fail "the RPMs built here claim a bundled Boost"
fi

echo "== rpm --root: install both into a scratch root"
root="$work/root"
mkdir -p "$root/etc"
# The owners the packages name must exist in the root (%pre, which adds mysql, does not run).
printf 'root:x:0:0:root:/root:/bin/bash\nmysql:x:27:27:MySQL Server:/var/lib/mysql:/sbin/nologin\n' \
    >"$root/etc/passwd"
printf 'root:x:0:\nmysql:x:27:\n' >"$root/etc/group"
rpm --root "$root" --initdb
# Debian's rpm warns on stderr unless told it is meant (the option exists only there).
force_debian=""
grep -q -- --force-debian <<<"$(rpm --help 2>/dev/null)" && force_debian=--force-debian
rpm --root "$root" -i --nodeps --noscripts $force_debian "$agent_rpm" "$manager_rpm" 2>"$work/install.err" ||
    { cat "$work/install.err" >&2; echo "FAIL: rpm -i" >&2; exit 1; }
if [ -s "$work/install.err" ]; then
    cat "$work/install.err" >&2
    fail "rpm -i printed warnings"
fi
uid_of() { case "$1" in root) echo 0 ;; mysql) echo 27 ;; esac; }
while read -r _pkg mode owner group path _rest; do
    [ -e "$root$path" ] || [ -L "$root$path" ] || { fail "not installed: $path"; continue; }
    actual=$(stat -c '%A %u %g' "$root$path")
    expected="$mode $(uid_of "$owner") $(uid_of "$group")"
    [ "$actual" = "$expected" ] || fail "$path installed as '$actual', expected '$expected'"
done <"$manifest"
rpm --root "$root" -V --nodeps mha-agent mha-manager >"$work/verify.out" 2>&1 ||
    { cat "$work/verify.out" >&2; fail "rpm -V reports changes"; }

echo "== the installed binaries run"
runs() {  # runs() BINARY PATTERN: BINARY --version succeeds and prints PATTERN
    local printed
    printed=$("$root/usr/bin/$1" --version 2>&1) || { fail "$1 --version: exit $?: $printed"; return; }
    grep -q "$2" <<<"$printed" || fail "$1 --version printed: $printed"
    echo "$1 --version: $printed"
}
runs mha-agent "^mha-agent $project_version"
runs mhactl "^mhactl $project_version"
runs mha-manager "^mha-manager $project_version"
# Each of MHA 0.58's nine names reaches its own command: the help it prints is that command's.
names() {  # names() NAME PATTERN: NAME --help succeeds and prints PATTERN
    local printed
    printed=$("$root/usr/bin/$1" --help 2>&1) || { fail "$1 --help: exit $?: $printed"; return; }
    grep -q -- "$2" <<<"$printed" || fail "$1 --help does not show $2: $printed"
}
names masterha_manager 'mha-manager: monitors the master and fails over'
names masterha_master_monitor 'masterha_master_monitor: monitors the master, exits 20'
names masterha_check_repl '^Usage: check-repl '
names masterha_check_ssh '^Usage: check-agents '
names masterha_check_status '^Usage: status '
names masterha_stop '^Usage: stop '
names masterha_conf_host '^Usage: conf-host '
names masterha_master_switch '^Usage: switch '
names masterha_secondary_check '^Usage: secondary-check '
# masterha_master_monitor stops at a missing configuration as masterha_manager does, and
# masterha_secondary_check asks for the configuration that names the agents.
rc=0
printed=$("$root/usr/bin/masterha_master_monitor" --conf="$work/absent.cnf" 2>&1) || rc=$?
[ "$rc" = 1 ] && grep -q "absent.cnf" <<<"$printed" ||
    fail "masterha_master_monitor --conf=absent: exit $rc: $printed"
rc=0
printed=$(env -u MHA_CONF "$root/usr/bin/masterha_secondary_check" -s db2 --master_host=db1 2>&1) ||
    rc=$?
[ "$rc" = 1 ] && grep -q -- "--conf is required" <<<"$printed" ||
    fail "masterha_secondary_check without a configuration: exit $rc: $printed"
# The shipped agent.cnf is valid: the agent gets past it and stops at the TLS files it names,
# which the operator makes (their paths moved into the scratch directory, where they are not).
sed -e "s|/etc/mha/tls/|$work/no-tls/|" "$root/etc/mha/agent.cnf" >"$work/agent.cnf"
rc=0
printed=$(timeout 10 "$root/usr/bin/mha-agent" --conf="$work/agent.cnf" 2>&1) || rc=$?
if [ "$rc" != 1 ] || ! grep -q "tls_ca $work/no-tls/ca.crt" <<<"$printed"; then
    fail "the shipped agent.cnf: exit $rc: $printed"
fi
# Every optional key it shows commented out is a valid key too (files kept in $work).
sed -e 's|^# \([a-z_]* = .*\)$|\1|' -e "s|^log_file = .*|log_file = $work/agent.log|" \
    -e "s|^workdir = .*|workdir = $work/agent-work|" "$work/agent.cnf" >"$work/all.cnf"
rc=0
printed=$(timeout 10 "$root/usr/bin/mha-agent" --conf="$work/all.cnf" 2>&1) || rc=$?
printed="$printed$(cat "$work/agent.log" 2>/dev/null)"  # the error goes to log_file
if [ "$rc" != 1 ] || ! grep -q "tls_ca $work/no-tls/ca.crt" <<<"$printed"; then
    fail "agent.cnf with every key uncommented: exit $rc: $printed"
fi
# The sample cron line (commented out) runs the installed purge_relay_logs as mysql, and
# purge_relay_logs reaches the agent's purge command.
grep -qx '#10 5  \*   \*   \*    mysql  /usr/bin/purge_relay_logs --disable_relay_log_purge .*' \
    "$root/etc/cron.d/mha-purge-relay-logs" || fail "the cron sample lacks its purge_relay_logs line"
grep -qx 'exec /usr/bin/mha-agent purge-relay-logs "\$@"' "$root/usr/bin/purge_relay_logs" ||
    fail "purge_relay_logs does not run mha-agent purge-relay-logs"
"$root/usr/bin/mha-agent" purge-relay-logs --help >/dev/null 2>&1 ||
    fail "mha-agent has no purge-relay-logs command"
for script in purge_relay_logs mha-certs; do
    bash -n "$root/usr/bin/$script" || fail "$script: syntax"
done
for hook in "$root"/usr/share/mha/hooks/*; do
    bash -n "$hook" || fail "$hook: syntax"
done
# Hooks with nothing configured succeed where they may (no VIP) and refuse to claim a
# power-off they did not do.
"$root/usr/share/mha/hooks/master_ip_failover" --command=status --orig_master_host=db1 2>/dev/null ||
    fail "master_ip_failover --command=status"
if "$root/usr/share/mha/hooks/power_manager" --command=stop --host=db1 --ip=10.0.0.1 2>/dev/null; then
    fail "power_manager claims a power-off without a BMC"
fi

echo "== what the units promise"
# unit_has UNIT LINE...: each LINE is in UNIT as written.
unit_has() {
    local unit=$1 line
    shift
    for line in "$@"; do
        grep -qxF -- "$line" "$root/usr/lib/systemd/system/$unit" || fail "$unit lacks '$line'"
    done
}
# The agent: as the owner of the binlogs, in the foreground, reload = SIGHUP (new certificates).
unit_has mha-agent.service 'Type=simple' 'User=mysql' 'Group=mysql' \
    'ExecStart=/usr/bin/mha-agent --conf=/etc/mha/agent.cnf' 'ExecReload=/bin/kill -HUP $MAINPID' \
    'Restart=on-failure'
# The manager: one instance per /etc/mha/APP.cnf; exit 0 and 10 (a failover done) are not
# restarted, a crash is; the dead master's block is dropped after a failover by default.
unit_has mha-manager@.service 'Type=simple' 'ConditionPathExists=/etc/mha/%i.cnf' \
    'ExecStart=/usr/bin/mha-manager --conf=/etc/mha/%i.cnf $MHA_MANAGER_OPTS' \
    'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure' 'RestartPreventExitStatus=10' \
    'EnvironmentFile=-/etc/sysconfig/mha-manager'
grep -qx 'MHA_MANAGER_OPTS="--remove_dead_master_conf"' "$root/etc/sysconfig/mha-manager" ||
    fail "/etc/sysconfig/mha-manager does not pass --remove_dead_master_conf"
# The service (issue 31): every cluster of /etc/mha/apps.d in one process, reload = SIGHUP.
unit_has mha-manager.service 'Type=simple' 'ConditionPathExists=/etc/mha/manager.cnf' \
    'ExecStart=/usr/bin/mha-manager --manager_conf=/etc/mha/manager.cnf $MHA_MANAGER_OPTS' \
    'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=on-failure'
grep -qx 'conf_dir = /etc/mha/apps.d' "$root/etc/mha/manager.cnf" ||
    fail "/etc/mha/manager.cnf does not name /etc/mha/apps.d"
if grep -q '^User=' "$root/usr/lib/systemd/system/mha-manager@.service"; then
    fail "mha-manager@.service runs as another user than root (it edits /etc/mha/APP.cnf)"
fi

echo "== systemd-analyze verify on the installed units"
# verify --root needs the units the service units depend on by default (sysinit.target, ...),
# taken from this host, and the ExecReload binary inside the root.
units="$root/usr/lib/systemd/system"
for unit in /lib/systemd/system/*.target /lib/systemd/system/*.slice; do
    [ -e "$units/$(basename "$unit")" ] || cp "$unit" "$units/"
done
ln -s usr/bin "$root/bin"
printf '#!/bin/sh\n' >"$root/usr/bin/kill"  # ExecReload=/bin/kill only has to be executable
chmod 0755 "$root/usr/bin/kill"
echo "[server default]" >"$root/etc/mha/app1.cnf"
for unit in mha-agent.service mha-manager@app1.service mha-manager.service; do
    if ! out=$(systemd-analyze verify --root="$root" "$unit" 2>&1) || [ -n "$out" ]; then
        echo "$out" >&2
        fail "systemd-analyze verify $unit"
    fi
    echo "systemd-analyze verify $unit: ok"
done
# verify checks that ExecStart's binary exists: without it, it must object.
mv "$root/usr/bin/mha-agent" "$work/mha-agent.moved"
if out=$(systemd-analyze verify --root="$root" mha-agent.service 2>&1) && [ -z "$out" ]; then
    fail "systemd-analyze verify accepts mha-agent.service without /usr/bin/mha-agent"
fi
mv "$work/mha-agent.moved" "$root/usr/bin/mha-agent"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "PASS"
