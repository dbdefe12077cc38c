# Sourced after tests/support/sandbox-fixture.sh: a 3-member etcd cluster (Debian's etcd-server)
# on loopback, TLS for clients (the managers) with certificates from certs/mha-certs, and the
# managers of manager high availability (issue 33). Peers talk plain http here: etcd matches a
# TLS peer's source address to its certificate's IP SANs (since 3.2, its security guide), and
# every loopback connection comes from 127.0.0.1.
#
#   etcd_cluster_start DIR PREFIX   members e1..e3 at PREFIX.1..3 (client 2379, peer 2380), data
#                                   and logs under DIR; killed at the end of the test
#   etcd_member_kill N | etcd_member_start N   one member down (SIGKILL) / up again (its data)
#   etcd_endpoints                  https://PREFIX.1:2379,… for etcd_endpoints=
#   etcdctl_ha ARGS…                etcdctl v3 against the cluster (certificates included)
#   ha_conf CONF DIR NAME           a copy of CONF for one manager: own manager_workdir and
#                                   manager_log under DIR/NAME, the etcd keys; path on stdout
#   ha_manager_start VAR CONF       mha-manager --continuous in the background; PID in VAR
#   ha_status CONF                  masterha_check_status's output for that manager
#   wait_for SECONDS COMMAND…       runs COMMAND every 0.1 s until it succeeds (1 on timeout)

ETCD_BIN=${ETCD_BIN:-etcd}
ETCDCTL_BIN=${ETCDCTL_BIN:-etcdctl}
_etcd_dir=""
_etcd_prefix=""
_etcd_pids=(0 0 0 0)

etcd_endpoints() {
    echo "https://$_etcd_prefix.1:2379,https://$_etcd_prefix.2:2379,https://$_etcd_prefix.3:2379"
}

etcdctl_ha() {
    ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints="$(etcd_endpoints)" --cacert="$_etcd_dir/certs/ca.crt" \
        --cert="$_etcd_dir/certs/manager.crt" --key="$_etcd_dir/certs/manager.key" \
        --dial-timeout=2s --command-timeout=3s "$@"
}

_etcd_member_run() {
    local n=$1 ip="$_etcd_prefix.$1" c="$_etcd_dir/certs" cluster="" i
    for i in 1 2 3; do
        cluster+="${cluster:+,}e$i=http://$_etcd_prefix.$i:2380"
    done
    "$ETCD_BIN" --name "e$n" --data-dir "$_etcd_dir/e$n" --logger zap \
        --listen-client-urls "https://$ip:2379" --advertise-client-urls "https://$ip:2379" \
        --listen-peer-urls "http://$ip:2380" --initial-advertise-peer-urls "http://$ip:2380" \
        --initial-cluster "$cluster" --initial-cluster-state new \
        --initial-cluster-token "mha-ha-test-$_etcd_prefix" \
        --cert-file "$c/etcd-e$n.crt" --key-file "$c/etcd-e$n.key" \
        --trusted-ca-file "$c/ca.crt" --client-cert-auth \
        >>"$_etcd_dir/e$n.log" 2>&1 &
    _etcd_pids[$n]=$!
    sandbox_bg "${_etcd_pids[$n]}"
}

etcd_cluster_start() {
    _etcd_dir=$1
    _etcd_prefix=$2
    mkdir -p "$_etcd_dir"
    bash "$MHA_SOURCE/certs/mha-certs" --out "$_etcd_dir/certs" --etcd "e1,$_etcd_prefix.1" \
        --etcd "e2,$_etcd_prefix.2" --etcd "e3,$_etcd_prefix.3" >/dev/null
    local i
    for i in 1 2 3; do
        _etcd_member_run "$i"
    done
    wait_for 60 _etcd_healthy ||
        { tail -n 3 "$_etcd_dir"/e*.log; sandbox_fail "etcd cluster at $_etcd_prefix.1-3 never got healthy"; }
}

# Healthy, or fails the test at once when a member exited (a port taken, a bad flag).
_etcd_healthy() {
    local i
    for i in 1 2 3; do
        kill -0 "${_etcd_pids[$i]}" 2>/dev/null ||
            { tail -n 3 "$_etcd_dir/e$i.log"; sandbox_fail "etcd member e$i exited"; }
    done
    etcdctl_ha endpoint health >/dev/null 2>&1
}

etcd_member_kill() {
    kill -KILL "${_etcd_pids[$1]}" 2>/dev/null || true
    wait "${_etcd_pids[$1]}" 2>/dev/null || true
}

etcd_member_start() {
    _etcd_member_run "$1"
    wait_for 30 env ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints="https://$_etcd_prefix.$1:2379" \
        --cacert="$_etcd_dir/certs/ca.crt" --cert="$_etcd_dir/certs/manager.crt" \
        --key="$_etcd_dir/certs/manager.key" endpoint health >/dev/null 2>&1 ||
        { tail -n 20 "$_etcd_dir/e$1.log"; sandbox_fail "etcd member e$1 did not come back"; }
}

wait_for() {
    local seconds=$1 until
    shift
    until=$(($(date +%s%N) + seconds * 1000000000))
    while [ "$(date +%s%N)" -lt "$until" ]; do
        "$@" && return 0
        sleep 0.1
    done
    return 1
}

ha_conf() {
    local conf=$1 dir=$2 name=$3 c="$_etcd_dir/certs"
    mkdir -p "$dir/$name"
    sed -e "s|^manager_workdir=.*|manager_workdir=$dir/$name|" \
        -e "s|^manager_log=.*|manager_log=$dir/$name/manager.log|" \
        -e "s|^\[server default\]\$|[server default]\netcd_endpoints=$(etcd_endpoints)\netcd_ca=$c/ca.crt\netcd_cert=$c/manager.crt\netcd_key=$c/manager.key\netcd_prefix=/mha-test|" \
        "$conf" >"$dir/$name/app.cnf"
    grep -q "^manager_workdir=$dir/$name\$" "$dir/$name/app.cnf" ||
        sandbox_fail "ha_conf: $conf has no manager_workdir= line to replace"
    echo "$dir/$name/app.cnf"
}

ha_manager_start() {
    local _ha_var=$1 _ha_conf=$2
    shift 2
    "$MHA_BIN/mha-manager" --conf="$_ha_conf" --continuous "$@" >>"$(dirname "$_ha_conf")/manager.out" 2>&1 &
    sandbox_bg "$!"
    printf -v "$_ha_var" '%s' "$!"
}

ha_status() {
    "$MHA_BIN/masterha_check_status" --conf="$1" 2>&1 || true
}
