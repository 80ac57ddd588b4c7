#!/usr/bin/env bash
# Remote execution, remote cache and reproducibility of rules_go_plugin, proven against a real
# Remote Execution API server: BuildGrid's buildbox-casd (Debian sid's buildbox 1.4.30) with a
# local execution runner, behind tests/remote/capsproxy (Bazel 7 speaks REAPI 2.0 only; casd
# announces 2.1 and later).
#
#   tests/remote/run.sh [--quick] [--keep]
#
# Everything runs in the offline Debian sid root filesystem of tools/bazel (Bazel 7.7.1, gcc):
# Bazel and the executors see the same /usr, so the C toolchain Bazel configures (absolute
# paths such as /usr/bin/gcc) exists on the executor. buildbox and bubblewrap are installed
# into it if missing. Servers listen on 127.0.0.1 only; every process the script starts is
# stopped by PID on exit, every Bazel server it starts is shut down. Work files go to a
# temporary directory under the offline cache's data/ directory (the same path inside and
# outside the root filesystem), removed at the end unless --keep.
#
# Full mode (measured: 23 minutes on 2 cores before the hostsdk phase, which adds about 5):
#   local     plugins built with linux-sandbox in two output bases (no disk cache), the first
#             uploading to a remote cache (casd without runner)
#   cache     --remote_cache only, fresh output base: what comes from the cache, what does not
#   hosttools --remote_executor, buildbox-run-hosttools: //examples/... //tests/core/... built
#             and tested remotely; then `bazel clean` and a fresh output base: all cache hits
#   hostsdk   --remote_executor, buildbox-run-hosttools, --spawn_strategy=remote,
#             --config=next: e2e/go_build_hosts/run.sh (host SDKs: their compile wrapper,
#             compile.real and the host's ABI file staged as inputs), in a fresh output base,
#             under Bazel 8/9 semantics (tests/bazel_next leaves go_build_hosts to this phase)
#   ours      go_plugin's own actions run again with cwd / (stock buildbox-run-bubblewrap)
#             on the inputs of the hosttools cache: same outputs
#   bubblewrap --remote_executor, buildbox-run-bubblewrap (input root only, plus read-only
#             /usr, /bin, /lib, /lib64), each action's input root at /workdir (bwrap_workdir.sh)
#   repro     sha256 of every plugin in each environment: byte-identical; no machine path
#   mix       stock buildbox-run-bubblewrap (input root at /, rules_go's -trimpath is lost)
#             builds the plugins, a hosttools executor on the same cache then builds their
#             host: go_plugin_host's build-time check must fail the build
# --quick (CI; measured: about 10 minutes, 5 of them hostsdk): the hosttools phases without the
#   race-instrumented test, hostsdk, the local reference build through the shared disk cache,
#   and the reproducibility check between the two.
#
# The last line is "remote: N passed, M failed"; the exit status is non-zero on any failure.
set -euo pipefail

quick='' keep=''
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cd "$repo"
# The executors run in the offline root filesystem; so must Bazel (same C toolchain paths).
export RULES_GO_PLUGIN_OFFLINE=1
# shellcheck source=tools/offline/config.sh
source "$repo/tools/offline/config.sh"
enter=$repo/tools/offline/enter.sh
bazel=$repo/tools/bazel
start=$SECONDS

# ---- Bookkeeping ----
passed=0 failed=0
results=()
timings=()
ok() { passed=$((passed + 1)); results+=("PASS  $*"); echo "PASS: $*"; }
bad() { failed=$((failed + 1)); results+=("FAIL  $*"); echo "FAIL: $*"; }
step() { echo; echo "=== $(date +%T) (+$((SECONDS - start))s) $*"; }
phase_start=0
phase() { phase_start=$SECONDS; step "$*"; }
phase_done() { timings+=("$(printf '%-34s %5ds' "$1" $((SECONDS - phase_start)))"); }

# check NAME COMMAND...: runs the command, records a pass or a failure.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}

# ---- Processes: everything started here is stopped by PID ----
pids=()
output_bases=()
hostsdk_ob=
work=
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
stop_all() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[$i]}"; done
  pids=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  local ob
  for ob in "${output_bases[@]}"; do
    [ -d "$ob" ] && "$bazel" --output_base="$ob" shutdown >/dev/null 2>&1 || true
  done
  if [ -n "$hostsdk_ob" ] && [ -d "$hostsdk_ob" ]; then
    (cd "$repo/e2e/go_build_hosts" && "$bazel" --output_base="$hostsdk_ob" shutdown >/dev/null 2>&1) || true
  fi
  if [ -n "$work" ]; then
    if [ -n "$keep" ]; then
      echo "run.sh: kept $work"
    elif [ "$rc" = 0 ]; then
      rm -rf "$work"
    else
      # Keep the logs of a failed run; drop output bases and caches (gigabytes).
      rm -rf "${work:?}"/ob-* "${work:?}"/cache-* "${work:?}"/bin
      echo "run.sh: logs kept in $work/logs"
    fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- Setup ----
step "setup: offline root filesystem, buildbox and bubblewrap, test tools"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$PROVISION_VERSION" ]; then
  "$repo/tools/offline/provision.sh"
fi
"$enter" --no-workspace -- bash -c '
  dpkg -s buildbox bubblewrap >/dev/null 2>&1 && exit 0
  echo "installing buildbox and bubblewrap in the root filesystem"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends buildbox bubblewrap >/dev/null'
"$enter" --no-workspace -- buildbox-casd --version

mkdir -p "$DATA"
work=$(mktemp -d "$DATA/remote-test.XXXXXX")
logs=$work/logs
mkdir -p "$logs" "$work/bin"
echo "work directory: $work"

for m in capsproxy remotecheck; do
  if (cd "$here/$m" && go vet ./... && go test -count=1 ./... && go build -o "$work/bin/$m" .) >"$logs/go-$m.log" 2>&1; then
    ok "go vet + go test + go build tests/remote/$m"
  else
    bad "go vet + go test + go build tests/remote/$m"
    cat "$logs/go-$m.log"
    exit 1
  fi
done
remotecheck=$work/bin/remotecheck

# The real bwrap, and the wrapper that moves the input root off / (bwrap_workdir.sh).
cp "$SID/usr/bin/bwrap" "$work/bin/bwrap.real"
cp "$here/bwrap_workdir.sh" "$work/bin/bwrap_workdir.sh"

# ---- Servers ----
# pick_port prints a loopback port nothing listens on.
pick_port() {
  local p i
  for i in $(seq 100); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_casd NAME CACHE_DIR RUNNER [LOG_LEVEL]: starts buildbox-casd in the root filesystem,
# with RUNNER = none | hosttools | bubblewrap (input root at /workdir) | bubblewrap-stock
# (input root at /), and capsproxy in front of it. Sets $addr (the proxy's host:port).
start_casd() {
  local name=$1 cache=$2 runner=$3 shim='' real='' port pid attempt i
  local args=("--log-level=${4:-warning}" "--jobs=$(nproc)")
  case $runner in
    none) ;;
    hosttools) args+=(--buildbox-run=/usr/bin/buildbox-run-hosttools) ;;
    bubblewrap | bubblewrap-stock)
      args+=(--buildbox-run=/usr/bin/buildbox-run-bubblewrap)
      # The action sees only its input root; the system binds give it a shell, gcc and libc.
      local b
      for b in /usr:/usr /usr/bin:/bin /usr/lib:/lib /usr/lib64:/lib64; do
        args+=("--runner-arg=--ro-bind-mount=$b")
      done
      if [ "$runner" = bubblewrap ]; then
        shim=$work/bin/bwrap_workdir.sh real=$work/bin/bwrap.real
      fi ;;
    *) echo "start_casd: unknown runner $runner" >&2; return 1 ;;
  esac
  mkdir -p "$cache"
  for attempt in 1 2 3 4 5; do
    port=$(pick_port)
    # In casd's private mount namespace only: bwrap_workdir.sh over /usr/bin/bwrap (the
    # runner runs bwrap by that absolute path).
    # shellcheck disable=SC2016 # expanded by the inner bash
    "$enter" --no-workspace -- bash -c '
      set -e
      if [ -n "$1" ]; then mount --bind "$1" /usr/bin/bwrap; export BWRAP_WORKDIR_REAL=$2; fi
      shift 2
      exec "$@"' run.sh "$shim" "$real" \
      buildbox-casd "--bind=127.0.0.1:$port" "${args[@]}" "$cache" >>"$logs/casd-$name.log" 2>&1 &
    pid=$!
    pids+=("$pid")
    for i in $(seq 150); do
      listening "$port" && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if listening "$port" && kill -0 "$pid" 2>/dev/null; then break; fi
    stop_pid "$pid"
    pids=("${pids[@]:0:${#pids[@]}-1}")
    pid=
    echo "casd ($name) did not start on port $port (attempt $attempt):"; tail -5 "$logs/casd-$name.log"
  done
  [ -n "$pid" ] || return 1
  rm -f "$work/proxy-$name.addr"
  "$work/bin/capsproxy" -backend "127.0.0.1:$port" -addr_file "$work/proxy-$name.addr" >>"$logs/proxy-$name.log" 2>&1 &
  pids+=("$!")
  for i in $(seq 100); do
    [ -s "$work/proxy-$name.addr" ] && break
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  [ -s "$work/proxy-$name.addr" ] || { echo "capsproxy ($name) did not start:"; cat "$logs/proxy-$name.log"; return 1; }
  addr=$(cat "$work/proxy-$name.addr")
  echo "casd ($name, runner $runner) on 127.0.0.1:$port (pid $pid), capsproxy on $addr (pid ${pids[-1]})"
}

# ---- Bazel ----
common=(--symlink_prefix=/ --color=no --curses=no --remote_timeout=3600)

# bz NAME OUTPUT_BASE COMMAND ARGS...: runs Bazel in its own output base, output in logs/NAME.log.
bz() {
  local name=$1 ob=$2 cmd=$3
  shift 3
  output_bases+=("$ob")
  echo "+ bazel --output_base=${ob#"$work"/} $cmd $*" | sed "s|$work/|\$work/|g"
  "$bazel" --output_base="$ob" "$cmd" "${common[@]}" "$@" >"$logs/$name.log" 2>&1
}
# summary NAME: Bazel's process summary line and test counts of logs/NAME.log.
summary() {
  local s
  s=$(grep -E '^INFO: [0-9]+ processes' "$logs/$1.log" | tail -1 || true)
  echo "  bazel: ${s#INFO: }"
  grep -E '^Executed [0-9]+ out of [0-9]+ test' "$logs/$1.log" | sed 's/^/  bazel: /' || true
}
failure_tail() { echo "--- last lines of logs/$1.log:"; grep -v '^\[' "$logs/$1.log" | tail -25 || true; }
shutdown_ob() { "$bazel" --output_base="$1" shutdown >/dev/null 2>&1 || true; }

# Machine paths no plugin may contain.
forbid=("$work" "$DATA" "$repo" "$HOST_GOROOT/" "$HOME/" /execroot/ /sandbox/ /workdir/ cas-tmpdir)
forbid_args=()
for p in "${forbid[@]}"; do forbid_args+=(-forbid "$p"); done

# hash_plugins ENV OUTPUT_BASE: sha256 of every plugin of the reference list, checked for
# machine paths; writes $work/ENV.sha256.
hash_plugins() {
  "$remotecheck" hash -execroot "$2/execroot/_main" -o "$work/$1.sha256" "${forbid_args[@]}" "${plugin_files[@]}"
}

ours=GoPluginHelpersBuild,GoPluginLink,GoPluginManifest,GoPluginHostCheck
if [ -n "$quick" ]; then
  # --quick (CI) leaves out what costs a standard library of its own: the race host, and the
  # released hosts' Go 1.27.3 release (two more standard libraries and the helpers with that
  # SDK: about 5 min; the full run builds and tests it remotely).
  test_targets=(-- //examples/... //tests/core/... -//examples/hosts/host:host_race_test -//examples/released_host/...)
  plugin_universe='//examples/... + //tests/core/... - //examples/released_host/...'
else
  test_targets=(-- //examples/... //tests/core/...)
  plugin_universe='//examples/... + //tests/core/...'
fi

# ---- The plugins compared across environments ----
phase "local: the plugins, built with linux-sandbox"
# go_plugin targets: the rules whose class names contain go_plugin, without the host and ABI
# rules, and without manual ones (examples/released_host/skewed must fail its build).
# shellcheck disable=SC2016 # $s is a query variable
plugin_query="let s = $plugin_universe in "'kind(go_plugin, $s) - kind("go_plugin_(host|manifest|test|abi)", $s) - attr(tags, manual, $s)'
mapfile -t plugin_labels < <("$bazel" --output_base="$work/ob-local1" query --color=no "$plugin_query" 2>"$logs/query.log")
output_bases+=("$work/ob-local1")
# Their files as top-level targets (the universe of a cquery of $plugin_query would also hold
# the race-instrumented copies that host_race_test builds).
plugin_set=$(printf ' + %s' "${plugin_labels[@]}")
mapfile -t plugin_files < <("$bazel" --output_base="$work/ob-local1" cquery --color=no --output=files "${plugin_set# + }" 2>>"$logs/query.log" | grep '\.so$')
echo "${#plugin_labels[@]} go_plugin targets, ${#plugin_files[@]} plugin files"
[ "${#plugin_files[@]}" -ge 5 ] || { bad "query the go_plugin targets"; cat "$logs/query.log"; exit 1; }

if [ -n "$quick" ]; then
  # The shared disk cache (filled by linux-sandbox builds) keeps this short in CI.
  if bz local1 "$work/ob-local1" build --spawn_strategy=linux-sandbox "${plugin_labels[@]}"; then
    summary local1
    ok "local: ${#plugin_labels[@]} plugins built (linux-sandbox, shared disk cache)"
    check "local: plugins hashed, no machine path" hash_plugins local1 "$work/ob-local1"
  else
    failure_tail local1
    bad "local: plugins built"
  fi
  shutdown_ob "$work/ob-local1"
  phase_done "local (disk cache)"
else
  # At log level info casd says why it refuses an action cache entry.
  start_casd cache "$work/cache-c" none info
  cache_addr=$addr
  for n in 1 2; do
    flags=(--spawn_strategy=linux-sandbox --disk_cache=)
    # The first local build also fills the remote cache for the next phase.
    [ "$n" = 1 ] && flags+=("--remote_cache=grpc://$cache_addr")
    if bz "local$n" "$work/ob-local$n" build "${flags[@]}" --execution_log_json_file="$logs/local$n.json" "${plugin_labels[@]}"; then
      summary "local$n"
      ok "local$n: ${#plugin_labels[@]} plugins built (linux-sandbox, no disk cache)"
      check "local$n: plugins hashed, no machine path" hash_plugins "local$n" "$work/ob-local$n"
    else
      failure_tail "local$n"
      bad "local$n: plugins built"
    fi
    shutdown_ob "$work/ob-local$n"
  done
  phase_done "local (2 output bases)"

  phase "cache: --remote_cache only (no executor), fresh output base"
  if bz cache "$work/ob-cache" build --disk_cache= "--remote_cache=grpc://$cache_addr" \
    --execution_log_json_file="$logs/cache.json" "${plugin_labels[@]}"; then
    summary cache
    # Every action but GoStdlib (see below) must come from the cache.
    check "cache: every go_plugin action (GoCompilePkg, GoPluginLink) is a remote cache hit; other actions too, except GoStdlib" \
      "$remotecheck" execlog -ours GoPluginLink -hit '*' -except GoStdlib -min GoPluginLink=5,GoCompilePkg=5 "$logs/cache.json"
    # GoStdlib's outputs are directories (tree artifacts). Bazel 7 uploads their files and
    # one Tree message, not each Directory message as a blob; casd accepts the entry, but
    # its GetActionResult checks every digest the result refers to, Directory messages
    # included, and answers NOT_FOUND. So GoStdlib runs again, locally; its outputs are
    # the same bytes, so every action that reads them hits the cache again.
    echo "  GoStdlib (tree artifact outputs) was not served from the cache; casd's log:"
    grep -h -o -E "ActionResult missing [0-9]+ digests?|Some output blob\(s\) missing from cache for ActionDigest='[0-9a-f]{12}" \
      "$logs/casd-cache.log" | sort | uniq -c | sed 's/^/   /' || true
  else
    failure_tail cache
    bad "cache: build with --remote_cache"
  fi
  shutdown_ob "$work/ob-cache"
  stop_all
  phase_done "cache (--remote_cache only)"
fi

# ---- Remote execution: hosttools ----
phase "hosttools: --remote_executor, buildbox-run-hosttools, ${test_targets[*]:1}"
start_casd hosttools "$work/cache-h" hosttools
remote=("--remote_executor=grpc://$addr" --disk_cache=)
if bz hosttools1 "$work/ob-hosttools1" test "${remote[@]}" --execution_log_json_file="$logs/hosttools1.json" "${test_targets[@]}"; then
  summary hosttools1
  ok "hosttools: build and tests passed with remote execution"
else
  failure_tail hosttools1
  bad "hosttools: build and tests with remote execution"
fi
check "hosttools: GoCompilePkg, GoPluginLink and the host tests ran remotely; nothing ran locally; our actions remotable and cacheable" \
  "$remotecheck" execlog -ours "$ours" -remote GoCompilePkg,GoPluginLink,GoPluginManifest,GoPluginHostCheck,TestRunner -nolocal '*' \
  -min GoPluginLink=5,GoPluginHostCheck=2,GoPluginManifest=2,TestRunner=3 "$logs/hosttools1.json"
phase_done "hosttools: remote execution"

phase "hosttools: remote cache (bazel clean, then a fresh output base)"
"$bazel" --output_base="$work/ob-hosttools1" clean >>"$logs/hosttools1.log" 2>&1 || bad "hosttools: bazel clean"
shutdown_ob "$work/ob-hosttools1"
if bz hosttools2 "$work/ob-hosttools2" test "${remote[@]}" --execution_log_json_file="$logs/hosttools2.json" "${test_targets[@]}"; then
  summary hosttools2
  ok "hosttools: fresh output base, build and tests passed"
else
  failure_tail hosttools2
  bad "hosttools: fresh output base, build and tests"
fi
check "hosttools: fresh output base: every action (go_plugin's and GoStdlib's too) and test is a remote cache hit" \
  "$remotecheck" execlog -ours "$ours" -hit '*' -min GoPluginLink=5 "$logs/hosttools2.json"
check "hosttools: plugins hashed, no machine path" hash_plugins hosttools "$work/ob-hosttools2"
shutdown_ob "$work/ob-hosttools2"
stop_all
phase_done "hosttools: remote cache"

# ---- Remote execution: host SDKs ----
# e2e/go_build_hosts builds plugins with host SDKs: their compile is go/tools/hostcompile, which
# runs the SDK's real compiler (compile.real) with the host's ABI file beside it; remotely, all
# three are inputs the executor stages. --spawn_strategy=remote: a spawn that cannot run
# remotely fails the build instead of running here. With --config=next (Bazel 8/9 semantics,
# e2e/bazel_next.bazelrc): this is where tests/bazel_next's check of go_build_hosts runs, so
# that CI builds its host SDKs under `+` repository names once, not twice (run_all builds them
# under Bazel 7's `~` names, locally).
phase "hostsdk: e2e/go_build_hosts (plugins for go build hosts, host SDKs) with remote execution, --config=next"
start_casd hostsdk "$work/cache-s" hosttools
hostsdk_ob=$work/ob-hostsdk
if BAZEL_OUTPUT_BASE=$hostsdk_ob "$repo/e2e/go_build_hosts/run.sh" \
  --config=next "--remote_executor=grpc://$addr" --disk_cache= --spawn_strategy=remote "${common[@]}" >"$logs/hostsdk.log" 2>&1; then
  summary hostsdk
  ok "hostsdk: go build hosts load the plugins built remotely with their host SDKs (--config=next); the skewed plugin fails the check"
else
  failure_tail hostsdk
  bad "hostsdk: e2e/go_build_hosts with remote execution"
fi
# Its server belongs to e2e/go_build_hosts: shut it down from there.
(cd "$repo/e2e/go_build_hosts" && shutdown_ob "$hostsdk_ob")
hostsdk_ob=
stop_all
phase_done "hostsdk: remote execution"

if [ -z "$quick" ]; then
  # go_plugin's own actions must not depend on the working directory. Run them again with
  # cwd / (stock buildbox-run-bubblewrap), on exactly the inputs the hosttools executor
  # made: a copy of its cache without their action cache entries.
  phase "ours: GoPluginLink, GoPluginManifest, GoPluginHostCheck again, with cwd / (stock bubblewrap)"
  cp -al "$work/cache-h" "$work/cache-o"
  n=0
  while read -r h; do
    rm -f "$work/cache-o/actioncache/objects/${h:0:2}/${h:2}" && n=$((n + 1))
  done < <("$remotecheck" digests -mnemonics "$ours" "$logs/hosttools1.json")
  echo "removed the action cache entries of $n spawns of $ours from a copy of the hosttools cache"
  start_casd ours "$work/cache-o" bubblewrap-stock
  if bz ours "$work/ob-ours" build "--remote_executor=grpc://$addr" --disk_cache= \
    --execution_log_json_file="$logs/ours.json" "${test_targets[@]}"; then
    summary ours
    check "ours: only go_plugin's actions ran (remotely, cwd /); everything else came from the hosttools cache" \
      "$remotecheck" execlog -ours "$ours" -remote "$ours" -hit '*' -except "$ours" -min GoPluginLink=5 "$logs/ours.json"
    check "ours: their outputs (plugins, packages lists, manifests, check stamps) are identical to the hosttools ones" \
      "$remotecheck" outputs -mnemonics "$ours" -min 20 "$logs/hosttools1.json" "$logs/ours.json"
  else
    failure_tail ours
    bad "ours: build with go_plugin's actions on stock bubblewrap"
  fi
  shutdown_ob "$work/ob-ours"
  stop_all
  rm -rf "$work/cache-o"
  phase_done "ours: cwd /"
fi

if [ -n "$quick" ]; then
  phase "repro: the plugins, local vs remote (hosttools)"
  check "repro: plugins byte-identical: local, hosttools" \
    "$remotecheck" compare "local=$work/local1.sha256" "hosttools=$work/hosttools.sha256"
  phase_done "repro"
else
  # ---- Remote execution: bubblewrap ----
  phase "bubblewrap: --remote_executor, buildbox-run-bubblewrap (input root at /workdir), ${test_targets[*]:1}"
  start_casd bubblewrap "$work/cache-b" bubblewrap
  remote=("--remote_executor=grpc://$addr" --disk_cache=)
  if bz bubblewrap "$work/ob-bubblewrap" test "${remote[@]}" --execution_log_json_file="$logs/bubblewrap.json" "${test_targets[@]}"; then
    summary bubblewrap
    ok "bubblewrap: build and tests passed with remote execution"
  else
    failure_tail bubblewrap
    bad "bubblewrap: build and tests with remote execution"
  fi
  check "bubblewrap: GoCompilePkg, GoPluginLink and the host tests ran remotely; nothing ran locally; our actions remotable and cacheable" \
    "$remotecheck" execlog -ours "$ours" -remote GoCompilePkg,GoPluginLink,GoPluginManifest,GoPluginHostCheck,TestRunner -nolocal '*' \
    -min GoPluginLink=5,GoPluginHostCheck=2,GoPluginManifest=2,TestRunner=3 "$logs/bubblewrap.json"
  check "bubblewrap: plugins hashed, no machine path" hash_plugins bubblewrap "$work/ob-bubblewrap"
  shutdown_ob "$work/ob-bubblewrap"
  stop_all
  phase_done "bubblewrap: remote execution"

  phase "repro: the plugins across environments"
  check "repro: plugins byte-identical: local1, local2, hosttools, bubblewrap" \
    "$remotecheck" compare "local1=$work/local1.sha256" "local2=$work/local2.sha256" \
    "hosttools=$work/hosttools.sha256" "bubblewrap=$work/bubblewrap.sha256"
  phase_done "repro"

  # ---- Mixing executors through one cache ----
  # Only the go_plugin targets: their packages are compiled in the plugin configuration, so
  # the host's own copies of the shared packages (filter, in the host's configuration) are not
  # in the cache and are compiled by the second executor.
  phase "mix: stock buildbox-run-bubblewrap (input root at /) builds plugins, hosttools their host"
  mapfile -t mix_labels < <(printf '%s\n' "${plugin_labels[@]}" | grep '^//examples/hosts/plugins/')
  mapfile -t mix_files < <(printf '%s\n' "${plugin_files[@]}" | grep '/examples/hosts/plugins/')
  start_casd stock "$work/cache-m" bubblewrap-stock
  remote=("--remote_executor=grpc://$addr" --disk_cache=)
  if bz mix1 "$work/ob-mix1" build "${remote[@]}" "${mix_labels[@]}"; then
    summary mix1
    ok "mix: stock bubblewrap built ${mix_labels[*]}"
    "$remotecheck" hash -execroot "$work/ob-mix1/execroot/_main" -o "$work/stock.sha256" "${mix_files[@]}" >/dev/null || true
    : >"$work/local1-hosts.sha256"
    for f in "${mix_files[@]}"; do grep -F "  $f" "$work/local1.sha256" >>"$work/local1-hosts.sha256" || true; done
    check "mix: stock bubblewrap plugins differ from local ones (rules_go's -trimpath=/ matches nothing)" \
      "$remotecheck" compare -want differ "local1=$work/local1-hosts.sha256" "stock-bubblewrap=$work/stock.sha256"
    grep -a -o -m1 -E '/examples/[[:alnum:]_/]+\.go' "$work/ob-mix1/execroot/_main/${mix_files[0]}" \
      | head -1 | sed 's/^/  a source path in the stock bubblewrap plugin: /' || true
  else
    failure_tail mix1
    bad "mix: stock bubblewrap build of ${mix_labels[*]}"
  fi
  shutdown_ob "$work/ob-mix1"
  stop_all
  # The same cache (action keys do not include the executor), now with a hosttools executor:
  # the plugins come from the cache, the host is compiled anew.
  start_casd mix-hosttools "$work/cache-m" hosttools
  remote=("--remote_executor=grpc://$addr" --disk_cache=)
  if bz mix2 "$work/ob-mix2" build "${remote[@]}" //examples/hosts/host; then
    summary mix2
    bad "mix: host (hosttools) with plugins (stock bubblewrap) from one cache: the build succeeded"
  else
    summary mix2
    if grep -q "would fail to load" "$logs/mix2.log"; then
      grep -E "would fail to load|packages? differ|examples/hosts/filter: host" "$logs/mix2.log" | head -4 | cut -c1-300 | sed 's/^/  /'
      ok "mix: go_plugin_host's build-time check fails the build of a host whose plugins came from another executor"
    else
      failure_tail mix2
      bad "mix: the build failed, but not with go_plugin_host's check"
    fi
  fi
  # What the check prevents: the same host without the validation, run.
  if bz mix3 "$work/ob-mix2" run "${remote[@]}" --norun_validations //examples/hosts/host -- abc; then
    bad "mix: without the check, the mixed host ran and loaded its plugins"
  elif grep -q "different version of package" "$logs/mix3.log"; then
    grep -m1 "different version of package" "$logs/mix3.log" | cut -c1-300 | sed 's/^/  /'
    ok "mix: without the check (--norun_validations) the host builds, and plugin.Open fails at run time"
  else
    failure_tail mix3
    bad "mix: without the check, the host failed, but not in plugin.Open"
  fi
  shutdown_ob "$work/ob-mix2"
  stop_all
  phase_done "mix"
fi

# ---- Results ----
step "results"
for r in "${results[@]}"; do echo "  $r"; done
echo
echo "  sha256 per environment:"
for f in "$work"/*.sha256; do
  [ -e "$f" ] || continue
  case $f in *-hosts.sha256) continue ;; esac
  echo "  [$(basename "$f" .sha256)]"
  sed 's/^/    /' "$f"
done
echo
echo "  time per phase:"
for t in "${timings[@]}"; do echo "    $t"; done
echo "    total                              $((SECONDS - start))s"
echo
echo "remote: $passed passed, $failed failed"
[ "$failed" = 0 ]
