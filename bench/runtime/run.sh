#!/usr/bin/env bash
# Runtime benchmark: pod and container lifecycle latency and memory, caissond beside containerd's CRI (Debian's
# containerd package) on the same machine in the same run, both driven by the same CRI client
# (bench/Caisson.Bench.Cri), and beside the floor: the same steps done by hand with runc and the CNI plugins.
#   per cycle: RunPodSandbox | CreateContainer + StartContainer | StopContainer + RemoveContainer |
#              StopPodSandbox + RemovePodSandbox            (WARMUP cycles first, then ITERATIONS timed ones)
#   then PODS pods of one container each: daemon RSS/PSS idle and with them running, shim RSS/PSS.
# Prints markdown for docs/benchmarks.md on stdout (progress on stderr). Run as root from anywhere.
# Everything lives in a private directory under /tmp: no /run/caisson, /var/lib/containerd, /etc/cni or
# /var/lib/cni/networks of the host is used. (containerd 1.6 itself still keeps its shims' sockets in
# /run/containerd/s/ and its CNI result cache in /var/lib/cni/results/; both entries go with their pods.)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
ITERATIONS=${ITERATIONS:-50}
WARMUP=${WARMUP:-10}
PODS=${PODS:-50}
PORT=${PORT:-5057}
[ "$(id -u)" = 0 ] || { echo "bench/runtime/run.sh: run as root" >&2; exit 2; }

work=$(mktemp -d /tmp/caisson-bench-runtime.XXXXXX)
chmod 0711 "$work"
bridges=(cbench0 cbench1 cbench2)
cgroup_parent=/caisson-bench
declare -A daemon_pid=()
registry_pid=""
testkit="dotnet $repo/tools/Caisson.TestKit/bin/Release/net10.0/caisson-testkit.dll"
driver="dotnet $repo/bench/Caisson.Bench.Cri/bin/Release/net10.0/caisson-bench-cri.dll"

# Volatile state goes on tmpfs, as on a node where /run is tmpfs: caissond's --state, containerd's state and
# runc roots (runc's default is /run/runc). Roots (images, snapshots, metadata) stay on disk.
volatile() { mkdir -p "$1" && mount -t tmpfs -o mode=0711 tmpfs "$1"; }

floor_cni() { # COMMAND ID NETNS IFNAME PLUGIN CONF
  CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 CNI_IFNAME=$4 CNI_PATH=/usr/lib/cni "/usr/lib/cni/$5" < "$6" > /dev/null
}

cleanup() {
  set +e
  # Pods outlive their daemon by design: remove them while it still answers.
  for side in "${!daemon_pid[@]}"; do
    local socket="$work/$side/$side.sock"
    [ -S "$socket" ] && kill -0 "${daemon_pid[$side]}" 2>/dev/null && $testkit remove-pods "$socket" >/dev/null 2>&1
    kill "${daemon_pid[$side]}" 2>/dev/null && wait "${daemon_pid[$side]}" 2>/dev/null
  done
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  # Whatever a failed run left: containers in our runc roots, then shims started from or for our directory.
  for root in "$work/caisson/state/runtime/runc" "$work/containerd/runc/k8s.io" "$work/floor/runc"; do
    [ -d "$root" ] || continue
    for id in $(runc --root "$root" list -q 2>/dev/null); do runc --root "$root" delete -f "$id" >/dev/null 2>&1; done
  done
  for proc in /proc/[0-9]*; do
    case "$(readlink "$proc/exe" 2>/dev/null)" in
      "$work/bin/caisson-shim") kill -9 "${proc#/proc/}" 2>/dev/null ;;
      /usr/bin/containerd-shim-runc-v2)
        tr '\0' ' ' < "$proc/cmdline" 2>/dev/null | grep -qF -- "-address $work/" && kill -9 "${proc#/proc/}" 2>/dev/null ;;
    esac
  done
  for pin in "$work"/floor/netns/*; do
    [ -f "$pin" ] && floor_cni DEL "$(basename "$pin")" "$pin" eth0 bridge "$work/floor/bridge.json"
  done
  awk -v prefix="$work/" 'index($5, prefix) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r point; do umount -l "$point"; done
  for bridge in "${bridges[@]}"; do ip link del "$bridge" 2>/dev/null; done
  for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/unified/; do
    [ -d "$hierarchy${cgroup_parent#/}" ] && find "$hierarchy${cgroup_parent#/}" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

# --- tools and builds ---------------------------------------------------------------------------------
scripts/install-deps
for package in containerd jq gcc libc6-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >/dev/null
done
# Debian's package enables containerd.service; the benchmark starts its own private instance instead.
echo "==> building (Release)" >&2
for project in src/Caisson.Daemon tools/Caisson.TestKit bench/Caisson.Bench.Cri; do
  dotnet build "$project" -c Release -v quiet -nologo -clp:ErrorsOnly >&2
done
echo "==> publishing caissond and caisson-shim (NativeAOT, as they ship)" >&2
for project in src/Caisson.Daemon src/Caisson.Shim; do
  dotnet publish "$project" -c Release -r linux-x64 -o "$work/bin" -v quiet -nologo >/dev/null
done
gcc -static -Os -s -o "$work/bin/pause" bench/runtime/pause.c

# --- images in a local registry -----------------------------------------------------------------------
source bench/local-registry.sh
start_local_registry "$work" "$PORT"
$driver push-images "127.0.0.1:$PORT" "$work/bin/pause" "$work/rootfs.tar" >&2
image="127.0.0.1:$PORT/bench/busybox:v1"
pause_image="127.0.0.1:$PORT/bench/pause:v1"

# One pod network per side, same plugins (bridge + host-local, no masquerade: no iptables work in any
# number), own bridge, subnet and IPAM directory.
network() { # NAME BRIDGE SUBNET IPAM_DIR
  printf '{"cniVersion": "1.0.0", "name": "%s", "plugins": [%s]}\n' "$1" "$(bridge_plugin "$2" "$3" "$4")"
}
bridge_plugin() { # BRIDGE SUBNET IPAM_DIR
  printf '{"type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": false, "hairpinMode": true, "ipam": {"type": "host-local", "ranges": [[{"subnet": "%s"}]], "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "%s"}}' "$1" "$2" "$3"
}

run_side() { # NAME (the daemon is up): the same client run against it
  local side=$1; shift
  $driver run --name "$side" --socket "$work/$side/$side.sock" --daemon-pid "${daemon_pid[$side]}" \
    --image "$image" --log-dir "$work/$side/logs" --cgroup-parent "$cgroup_parent/$side" --out "$work/$side.json" \
    --iterations "$ITERATIONS" --warmup "$WARMUP" --pods "$PODS" "$@"
}

stop_daemon() { # NAME
  kill "${daemon_pid[$1]}"; wait "${daemon_pid[$1]}" 2>/dev/null || true; unset "daemon_pid[$1]"
}

wait_for_socket() { # PATH LOG
  for _ in $(seq 300); do [ -S "$1" ] && return 0; sleep 0.1; done
  echo "no socket $1 after 30 s; log:" >&2; tail -n 30 "$2" >&2; exit 1
}

load_average() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(load_average)

# --- caissond -----------------------------------------------------------------------------------------
echo "==> caissond" >&2
dir="$work/caisson"; mkdir -p "$dir/net.d"; volatile "$dir/state"
network caisson-bench cbench0 10.231.0.0/16 "$dir/ipam" > "$dir/net.d/10-bench.conflist"
cat > "$dir/config.toml" <<TOML
[grpc]
address = "$dir/caisson.sock"
[runtime]
shim_path = "$work/bin/caisson-shim"
[cni]
conf_dir = "$dir/net.d"
bin_dirs = ["/usr/lib/cni"]
[registry.hosts."127.0.0.1:$PORT"]
plain_http = true
TOML
"$work/bin/caissond" --config "$dir/config.toml" --root "$dir/root" --state "$dir/state" > "$dir/log" 2>&1 &
daemon_pid[caisson]=$!
wait_for_socket "$dir/caisson.sock" "$dir/log"
run_side caisson --shim-exe "$work/bin/caisson-shim"
stop_daemon caisson

# --- containerd with its CRI plugin -------------------------------------------------------------------
echo "==> containerd" >&2
dir="$work/containerd"; mkdir -p "$dir/net.d"; volatile "$dir/state"; volatile "$dir/runc"
network containerd-bench cbench1 10.232.0.0/16 "$dir/ipam" > "$dir/net.d/10-bench.conflist"
cat > "$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  netns_mounts_under_state_dir = true
  # root lacks CAP_SYS_RESOURCE on these machines: never ask for an oom_score_adj below containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "/usr/sbin/runc"
        Root = "$dir/runc"
  [plugins."io.containerd.grpc.v1.cri".registry.mirrors."127.0.0.1:$PORT"]
    endpoint = ["http://127.0.0.1:$PORT"]
TOML
containerd --config "$dir/config.toml" > "$dir/log" 2>&1 &
daemon_pid[containerd]=$!
wait_for_socket "$dir/containerd.sock" "$dir/log"
run_side containerd --shim-exe /usr/bin/containerd-shim-runc-v2 --shim-cmdline-contains "$dir/containerd.sock" --pull "$pause_image"
stop_daemon containerd

# --- the floor: the same cycle by hand, runc and the CNI plugins, no daemon and no client ---------------
echo "==> floor (runc + CNI plugins)" >&2
dir="$work/floor"; mkdir -p "$dir/rootfs" "$dir/netns"; volatile "$dir/runc"
tar -xf "$work/rootfs.tar" -C "$dir/rootfs"
# Pins need a private mount to bind the namespaces onto, as ip-netns does with /run/netns.
mount --bind "$dir/netns" "$dir/netns"; mount --make-private "$dir/netns"
bridge_plugin cbench2 10.233.0.0/16 "$dir/ipam" | jq '. + {cniVersion: "1.0.0", name: "floor-bench"}' > "$dir/bridge.json"
echo '{"cniVersion": "1.0.0", "name": "cni-loopback", "type": "loopback"}' > "$dir/loopback.json"
(cd "$dir" && runc spec && mv config.json spec.json)
command=$($driver container-command)
stop_timeout_us=10000000

elapsed() { # STEP START_US END_US
  printf '%s %d.%03d\n' "$1" $((($3 - $2) / 1000)) $((($3 - $2) % 1000))
}

for i in $(seq $((WARMUP + ITERATIONS))); do
  id="floor-$i"; pin="$dir/netns/$id"; bundle="$dir/$id"; mkdir "$bundle"
  # The container joins the pod's network namespace, as a pod's containers do.
  jq --arg root "$dir/rootfs" --arg netns "$pin" --arg cgroup "$cgroup_parent/floor/$id" --argjson args "$command" \
    '.process.terminal = false | .process.args = $args | .root = {path: $root, readonly: false} | .hostname = "floor"
     | .linux.cgroupsPath = $cgroup
     | .linux.namespaces = [.linux.namespaces[] | if .type == "network" then . + {path: $netns} else . end]' \
    "$dir/spec.json" > "$bundle/config.json"

  t0=${EPOCHREALTIME/./}
  touch "$pin"; unshare --net="$pin" true
  floor_cni ADD "$id" "$pin" lo loopback "$dir/loopback.json"
  floor_cni ADD "$id" "$pin" eth0 bridge "$dir/bridge.json"
  t1=${EPOCHREALTIME/./}
  runc --root "$dir/runc" run -d --pid-file "$bundle/pid" --bundle "$bundle" "$id" < /dev/null > "$bundle/out" 2>&1
  t2=${EPOCHREALTIME/./}
  # Untimed, as in the client: until the container's SIGTERM trap is set.
  until read -r line 2>/dev/null < "$bundle/out" && [ "$line" = ready ]; do :; done
  pid=$(< "$bundle/pid")
  t2b=${EPOCHREALTIME/./}
  runc --root "$dir/runc" kill "$id" TERM
  # Stopped when the process is gone or a zombie (runc's own test), polled without forking; SIGKILL after the
  # same grace period the client gives StopContainer.
  deadline=$((t2b + stop_timeout_us))
  while read -r stat 2>/dev/null < "/proc/$pid/stat"; do
    stat=${stat##*) }; case ${stat:0:1} in Z | X) break ;; esac
    if [ "${EPOCHREALTIME/./}" -gt "$deadline" ]; then runc --root "$dir/runc" kill "$id" KILL; deadline=$((deadline + stop_timeout_us)); fi
  done
  runc --root "$dir/runc" delete "$id"
  t3=${EPOCHREALTIME/./}
  floor_cni DEL "$id" "$pin" eth0 bridge "$dir/bridge.json"
  umount "$pin"; rm "$pin"
  t4=${EPOCHREALTIME/./}
  rm -r "$bundle"
  if [ "$i" -gt "$WARMUP" ]; then
    elapsed RunPodSandbox "$t0" "$t1"
    elapsed CreateContainer+StartContainer "$t1" "$t2"
    elapsed StopContainer+RemoveContainer "$t2b" "$t3"
    elapsed StopPodSandbox+RemovePodSandbox "$t3" "$t4"
  fi >> "$work/floor.txt"
done
load_end=$(load_average)

# --- report -------------------------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
memory=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
echo "### $(date -u '+%Y-%m-%d %H:%M UTC'), $cpu ($(nproc) vCPU), $memory, Linux $(uname -r)"
echo
echo "ITERATIONS=$ITERATIONS WARMUP=$WARMUP PODS=$PODS; load average $load_start at the start, $load_end at the end."
echo
$driver report "$work/caisson.json" "$work/containerd.json" "$work/floor.txt"
