#!/bin/bash
# Records the capture fixtures in Tests/Fixtures/<name>/capture.kcap, each with a README.md saying how it
# was made (kernel, arch, workload, command). Real recordings of scripted workloads on this machine:
# regenerate with one command, then read the diff (`git status Tests/Fixtures`; goldens that depend on
# them must be re-recorded and reviewed by their owners).
#   sudo tools/make-fixtures.sh            # build kcap (debug) and record every fixture
#   KCAP=/path/to/kcap tools/make-fixtures.sh files net-loopback
# Needs root (or CAP_BPF+CAP_PERFMON), a kernel with BTF, and cc. Each fixture is scoped to its command's
# process tree (-- COMMAND or --pid), so it stays small (< 200 KB) and holds nothing else of the machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${KCAP:-}" ]; then
  scratch=${KCAP_SCRATCH:-.build}
  swift build --product kcap --scratch-path "$scratch" >&2
  KCAP="$root/$scratch/debug/kcap"
fi
"$KCAP" doctor >/dev/null || { "$KCAP" doctor; echo "make-fixtures: this machine cannot record (see above)" >&2; exit 1; }

# Fixed scratch paths, so paths inside the captures are the same on every regeneration.
work=/tmp/kcap-fixtures
rm -rf "$work"
mkdir -p "$work/bin"
cc -O1 -pthread -o "$work/bin/workload" Tests/RecorderTests/Workload/workload.c
# kcap itself runs from there too: a command's pre-exec child is a fork of kcap, and its proc.exe (in the
# goldens) would otherwise be wherever this checkout's build directory happens to be.
cp "$KCAP" "$work/bin/kcap"
KCAP=$work/bin/kcap

all=(files workload net-loopback fork-exec-threads failing-syscalls outlives-capture hosts)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")

# record NAME DESCRIPTION KCAP-ARGS...: records into Tests/Fixtures/NAME and writes its README.
record() {
  local name=$1 description=$2
  shift 2
  local dir="$root/Tests/Fixtures/$name"
  mkdir -p "$dir" "$work/$name"
  rm -f "$dir/capture.kcap"
  local status=0
  # Recorded from the fixed scratch directory, so the cwd in the captures (and goldens) does not depend on
  # where the script was run from.
  (cd "$work" && "$KCAP" record -w "$dir/capture.kcap" "$@") 2> "$work/$name.log" || status=$?
  cat "$work/$name.log" >&2
  local summary
  summary=$(grep 'captured' "$work/$name.log" | sed 's/^kcap record: //; s/ to .*$//')
  local size
  size=$(stat -c %s "$dir/capture.kcap")
  if [ "$size" -gt 204800 ]; then echo "make-fixtures: $name is $size bytes (> 200 KB)" >&2; exit 1; fi
  {
    echo "# Fixture: $name"
    echo
    echo "$description"
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| kernel | $(uname -r) |"
    echo "| arch | $(uname -m) |"
    echo "| recorded | $(date -u +%Y-%m-%dT%H:%M:%SZ) by tools/make-fixtures.sh |"
    echo "| command | \`kcap record -w capture.kcap $*\` |"
    echo "| result | $summary; exit status $status; $size bytes |"
    echo
    echo "The workload program is Tests/RecorderTests/Workload/workload.c, built with \`cc -O1 -pthread\` into"
    echo "$work/bin/workload; it runs in $work/$name. Regenerate with \`sudo tools/make-fixtures.sh $name\`."
  } > "$dir/README.md"
  echo "make-fixtures: $name: $summary, $size bytes" >&2
}

for name in "${names[@]}"; do
  case $name in
  files)
    record files "File operations by coreutils in a shell: create, write, read, rename, mkdir, symlink, readlink, chmod, stat, truncate, unlink, rmdir (each a fork+exec of a small program)." \
      -- /bin/sh -c "cd $work/files && echo hello > a.txt && cat a.txt > /dev/null && mv a.txt b.txt && mkdir d && ln -s b.txt link && readlink link > /dev/null && chmod 600 b.txt && stat b.txt > /dev/null && truncate -s 0 b.txt && rm link b.txt && rmdir d"
    ;;
  workload)
    record workload "Every step of the recorder tests' workload: files (open/write/read/close, a failed open, rename, mkdir/rmdir, unlink), loopback TCP (bind/listen/connect/accept, ping/pong) and UDP (sendto/recvfrom), a pthread, fork (child exits 7), exec of /bin/true with argv [true, kcap-arg1, \"kcap arg 2\"], exit 42. Ports and pids are in $work/workload/facts.txt at recording time (also readable in the capture: the workload writes that file)." \
      -- "$work/bin/workload" "$work/workload"
    ;;
  net-loopback)
    record net-loopback "Loopback networking only: a TCP listener on 127.0.0.1 (ephemeral port), connect, accept, write ping / read / write pong / read, close; then UDP sendto/recvfrom between two sockets on 127.0.0.1." \
      --events net -- "$work/bin/workload" "$work/net-loopback" net
    ;;
  fork-exec-threads)
    record fork-exec-threads "Process lifecycle: a pthread that makes one failing open, a fork whose child exits 7 (waited), a fork that execs /bin/true with argv [true, kcap-arg1, \"kcap arg 2\"], exit 42." \
      -- "$work/bin/workload" "$work/fork-exec-threads" thread,fork,exec
    ;;
  failing-syscalls)
    record failing-syscalls "Syscalls that fail with known errnos: open ENOENT (missing_dir/none.txt), mkdir EEXIST (.), read EBADF (fd 987), unlink ENOENT, rmdir / (EBUSY), connect ECONNREFUSED (127.0.0.1:1), kill ESRCH (pid 999999)." \
      -- "$work/bin/workload" "$work/failing-syscalls" fail
    ;;
  outlives-capture)
    # A process that was running before the capture and is still running after it: the capture has it only
    # in its snapshots (no fork, no exec, no exit), plus its syscalls while recorded.
    mkdir -p "$work/outlives-capture"
    /bin/sh -c "cd $work/outlives-capture; while :; do cat /etc/hostname > /dev/null; sleep 0.2; done" &
    bg=$!
    sleep 0.3
    record outlives-capture "A shell loop (cat /etc/hostname; sleep 0.2) started before the capture and killed after it, recorded with --pid for 1 s: it is in the start snapshot with its fds, its children come and go, and it never exits inside the capture." \
      --pid "$bg" --duration 1s
    kill "$bg"
    wait "$bg" 2>/dev/null || true
    ;;
  hosts)
    # Two hosts' captures for kcap merge: each recorded in its own UTS namespace (unshare --uts) whose
    # hostname is set first, so the recorder's uname() names the host kcap-alpha or kcap-beta.
    dir="$root/Tests/Fixtures/hosts"
    mkdir -p "$dir" "$work/hosts-alpha" "$work/hosts-beta"
    rm -f "$dir/alpha.kcap" "$dir/beta.kcap"
    (cd "$work" && unshare --uts /bin/sh -c "hostname kcap-alpha && exec '$KCAP' record -w '$dir/alpha.kcap' -- '$work/bin/workload' '$work/hosts-alpha' net") 2> "$work/hosts-alpha.log" || true
    (cd "$work" && unshare --uts /bin/sh -c "hostname kcap-beta && exec '$KCAP' record -w '$dir/beta.kcap' -- '$work/bin/workload' '$work/hosts-beta' thread,fork,exec") 2> "$work/hosts-beta.log" || true
    cat "$work/hosts-alpha.log" "$work/hosts-beta.log" >&2
    {
      echo "# Fixture: hosts"
      echo
      echo "Two hosts' captures for \`kcap merge\`: alpha.kcap recorded with the hostname kcap-alpha (the workload's"
      echo "loopback TCP/UDP step), beta.kcap with the hostname kcap-beta (thread, fork, exec), each inside"
      echo "\`unshare --uts\` after \`hostname NAME\`, one after the other on one machine."
      echo
      echo "| | |"
      echo "| --- | --- |"
      echo "| kernel | $(uname -r) |"
      echo "| arch | $(uname -m) |"
      echo "| recorded | $(date -u +%Y-%m-%dT%H:%M:%SZ) by tools/make-fixtures.sh |"
      echo "| alpha | \`unshare --uts sh -c 'hostname kcap-alpha && kcap record -w alpha.kcap -- workload $work/hosts-alpha net'\`: $(grep captured "$work/hosts-alpha.log" | sed 's/^kcap record: //; s/ to .*$//'); $(stat -c %s "$dir/alpha.kcap") bytes |"
      echo "| beta | \`unshare --uts sh -c 'hostname kcap-beta && kcap record -w beta.kcap -- workload $work/hosts-beta thread,fork,exec'\`: $(grep captured "$work/hosts-beta.log" | sed 's/^kcap record: //; s/ to .*$//'); $(stat -c %s "$dir/beta.kcap") bytes |"
      echo
      echo "Regenerate with \`sudo tools/make-fixtures.sh hosts\`."
    } > "$dir/README.md"
    ;;
  *)
    echo "make-fixtures: unknown fixture '$name' (known: ${all[*]})" >&2
    exit 2
    ;;
  esac
done
