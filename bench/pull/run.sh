#!/usr/bin/env bash
# Pull benchmark: the same multi-layer image from the same local registry, pulled and unpacked by
# caissond (via `caisson pull`) and by containerd (via `ctr image pull`, Debian's package), each into a
# fresh private root, RUNS times; plus the single-core floor (sha256 + inflate of the same blobs).
# Prints a markdown table for docs/benchmarks.md. Run as root from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOTAL_MB=${TOTAL_MB:-300}
LAYERS=${LAYERS:-6}
RUNS=${RUNS:-3}
PORT=${PORT:-5055}
work=$(mktemp -d /tmp/caisson-bench-pull.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; umount -R "$work"/*/root/* 2>/dev/null || true; rm -rf "$work"' EXIT

scripts/install-deps
command -v containerd >/dev/null || apt-get install -y -qq containerd >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
dotnet build Caisson.slnx -c Release -v quiet -nologo -clp:ErrorsOnly >&2
# caissond as it ships: compiled with NativeAOT.
dotnet publish src/Caisson.Daemon -c Release -r linux-x64 -o "$work/bin" -v quiet -nologo >/dev/null

source bench/local-registry.sh
start_local_registry "$work" "$PORT"
image="127.0.0.1:$PORT/bench/large:v1"
dotnet tools/Caisson.TestKit/bin/Release/net10.0/caisson-testkit.dll push-large "127.0.0.1:$PORT" bench/large:v1 "$TOTAL_MB" "$LAYERS" >&2

peak_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }

caisson_run() {
  local dir="$work/caisson-$1"; mkdir -p "$dir"
  printf '[registry.hosts."127.0.0.1:%s"]\nplain_http = true\n' "$PORT" > "$dir/config.toml"
  "$work/bin/caissond" --config "$dir/config.toml" --root "$dir/root" --state "$dir/state" > "$dir/log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q "serving CRI" "$dir/log" 2>/dev/null && break; sleep 0.1; done
  local start; start=$(now)
  /usr/bin/time -f "%M" -o "$dir/client-rss" dotnet src/Caisson.Cli/bin/Release/net10.0/caisson.dll --address "$dir/state/caisson.sock" pull --quiet "$image" > /dev/null
  local end; end=$(now)
  echo "caisson $(echo "$end - $start" | bc) $(peak_kb $pid) $(cat "$dir/client-rss")"
  kill $pid; wait $pid 2>/dev/null || true
}

containerd_run() {
  local dir="$work/containerd-$1"; mkdir -p "$dir"
  cat > "$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/containerd.sock"
[ttrpc]
  address = "$dir/containerd.sock.ttrpc"
TOML
  containerd --config "$dir/config.toml" > "$dir/log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do [ -S "$dir/containerd.sock" ] && break; sleep 0.1; done
  local start; start=$(now)
  /usr/bin/time -f "%M" -o "$dir/client-rss" ctr --address "$dir/containerd.sock" image pull --plain-http "$image" > /dev/null
  local end; end=$(now)
  echo "containerd $(echo "$end - $start" | bc) $(peak_kb $pid) $(cat "$dir/client-rss")"
  kill $pid; wait $pid 2>/dev/null || true
}

command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null
results="$work/results"
for run in $(seq "$RUNS"); do
  caisson_run "$run" | tee -a "$results" >&2
  containerd_run "$run" | tee -a "$results" >&2
done

blobs=$(find "$work/caisson-1/root/content/blobs/sha256" -type f -size +100k)
floor=$(dotnet bench/Caisson.Benchmarks/bin/Release/net10.0/caisson-bench.dll floor $blobs)
echo "$floor" >&2

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c_wall=$(awk '$1=="caisson" {print $2}' "$results" | median)
d_wall=$(awk '$1=="containerd" {print $2}' "$results" | median)
c_rss=$(awk '$1=="caisson" {print $3}' "$results" | median)
d_rss=$(awk '$1=="containerd" {print $3}' "$results" | median)
c_cli=$(awk '$1=="caisson" {print $4}' "$results" | median)
d_cli=$(awk '$1=="containerd" {print $4}' "$results" | median)
floor_s=$(echo "$floor" | sed -n 's/.*floor_seconds=\([0-9.]*\).*/\1/p')
compressed=$(du -sb "$work/registry" | cut -f1)

echo "| | wall time (s, median of $RUNS) | daemon peak RSS (MiB) | client peak RSS (MiB) |"
echo "|---|---|---|---|"
printf '| caisson (caissond + caisson pull) | %.2f | %.0f | %.0f |\n' "$c_wall" "$(echo "$c_rss/1024" | bc -l)" "$(echo "$c_cli/1024" | bc -l)"
printf '| containerd 1.6 (containerd + ctr image pull) | %.2f | %.0f | %.0f |\n' "$d_wall" "$(echo "$d_rss/1024" | bc -l)" "$(echo "$d_cli/1024" | bc -l)"
printf '| floor: sha256 + inflate on one core | %.2f | | |\n' "$floor_s"
printf '\ncaisson / containerd wall time: %.2f; caisson / floor: %.2f; image: %s layers, %s MB uncompressed, registry holds %s bytes\n' \
  "$(echo "$c_wall/$d_wall" | bc -l)" "$(echo "$c_wall/$floor_s" | bc -l)" "$((LAYERS + 1))" "$TOTAL_MB" "$compressed"
