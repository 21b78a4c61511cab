# Sourced by the scenario benchmarks: Debian's docker-registry serving DIR on 127.0.0.1:PORT (there is no public
# registry offline). Sets registry_pid; the caller stops it.
start_local_registry() { # DIR PORT
  mkdir -p "$1/registry"
  cat > "$1/registry.yml" <<YAML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $1/registry}}
http: {addr: 127.0.0.1:$2}
YAML
  /usr/bin/docker-registry serve "$1/registry.yml" > "$1/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$2/v2/" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the local registry did not answer on 127.0.0.1:$2; log:" >&2
  cat "$1/registry.log" >&2
  return 1
}
