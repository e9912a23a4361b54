#!/usr/bin/env bash
# Fresh-machine check (issue 6), run before a release, not in CI (CI is already
# a fresh clone): clone this repo's committed HEAD into a new empty folder and
# run the README's two commands there, end to end:
#   1. `make lab`: set-up, then JupyterLab; started in the background with
#      LAB_ARGS="--no-browser --port=<free port>", waited for until it answers
#      on loopback, then stopped;
#   2. `make test`.
# Prints each step's wall time and the total; exits non-zero on any failure.
#
#   scripts/fresh_clone_check.sh              the whole check (10+ minutes)
#   scripts/fresh_clone_check.sh --dry-run    print the steps, run nothing
#   scripts/fresh_clone_check.sh --clone-only only the clone step
#   scripts/fresh_clone_check.sh --keep       keep the clone afterwards
#
# LAB_WAIT (seconds, default 1800) bounds the wait for set-up plus JupyterLab.
set -euo pipefail

REPO=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
LAB_WAIT=${LAB_WAIT:-1800}
DRY=0 CLONE_ONLY=0 KEEP=0
for arg in "$@"; do
    case $arg in
        --dry-run) DRY=1 ;;
        --clone-only) CLONE_ONLY=1 ;;
        --keep) KEEP=1 ;;
        *) echo "unknown option: $arg (see the header of $0)" >&2; exit 2 ;;
    esac
done

WORK="" LAB_PID="" START=$SECONDS
TIMES=()

say() { printf '== %s\n' "$*"; }

timed() { # timed NAME WHAT FUNCTION: run it, record and print its wall time
    local name=$1 what=$2 fn=$3 t0=$SECONDS
    say "$name: $what"
    if [ "$DRY" = 1 ]; then return 0; fi
    "$fn"
    TIMES+=("$(printf '%-10s %5d s' "$name" $((SECONDS - t0)))")
    say "$name: done in $((SECONDS - t0)) s"
}

stop_lab() { # stop the `make lab` process group that this script started
    [ -n "$LAB_PID" ] || return 0
    kill -TERM -- "-$LAB_PID" 2>/dev/null || true
    for _ in $(seq 20); do
        kill -0 -- "-$LAB_PID" 2>/dev/null || break
        sleep 0.5
    done
    kill -KILL -- "-$LAB_PID" 2>/dev/null || true
    wait "$LAB_PID" 2>/dev/null || true
    LAB_PID=""
}

finish() {
    local rc=$?
    stop_lab
    if [ "$DRY" = 0 ] && [ -n "$WORK" ]; then
        if [ "$rc" = 0 ] && [ "$KEEP" = 0 ]; then
            rm -rf "$WORK"
        else
            say "the clone is kept in $WORK (remove it with: rm -rf $WORK)"
        fi
    fi
    if [ ${#TIMES[@]} -gt 0 ]; then
        say "wall times:"
        printf '   %s\n' "${TIMES[@]}"
        printf '   %-10s %5d s\n' total $((SECONDS - START))
    fi
    if [ "$DRY" = 1 ]; then
        say "dry run: nothing was run"
    elif [ "$rc" = 0 ]; then
        say "fresh clone check passed"
    else
        say "fresh clone check FAILED (exit $rc)"
    fi
    exit "$rc"
}
trap finish EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

answers() { # answers PORT: JupyterLab's server replies on loopback
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api", timeout=5)' "$1" 2>/dev/null
}

clone() {
    git clone --quiet --no-local "$REPO" "$WORK/course"
    say "cloned $(git -C "$WORK/course" rev-parse --short HEAD) into $WORK/course"
    if [ -n "$(git -C "$REPO" status --porcelain)" ]; then
        say "note: uncommitted changes in $REPO are not part of this check"
    fi
}

lab() { # make lab in the background; wait until it answers; stop it
    local port
    port=$(free_port)
    set -m # the background job gets its own process group, stopped as a whole
    (cd "$WORK/course" && exec make lab LAB_ARGS="--no-browser --port=$port") \
        >"$WORK/lab.log" 2>&1 &
    LAB_PID=$!
    set +m
    say "make lab (pid $LAB_PID, log $WORK/lab.log) on port $port"
    local t0=$SECONDS
    until answers "$port"; do
        if ! kill -0 "$LAB_PID" 2>/dev/null; then
            tail -n 30 "$WORK/lab.log"
            say "make lab exited before JupyterLab answered"
            return 1
        fi
        if [ $((SECONDS - t0)) -ge "$LAB_WAIT" ]; then
            tail -n 30 "$WORK/lab.log"
            say "JupyterLab did not answer within $LAB_WAIT s"
            return 1
        fi
        sleep 2
    done
    say "JupyterLab answers on http://127.0.0.1:$port/"
    stop_lab
}

run_tests() {
    (cd "$WORK/course" && make test)
}

if [ "$DRY" = 1 ]; then
    WORK="<new temporary folder>"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/fresh-clone-check.XXXXXX")
fi
timed clone "git clone --no-local $REPO $WORK/course (its committed HEAD)" clone
if [ "$CLONE_ONLY" = 1 ]; then exit 0; fi
timed "make lab" "make lab LAB_ARGS=\"--no-browser --port=<free port>\" in the \
background, until http://127.0.0.1:<port>/api answers (at most $LAB_WAIT s), then \
stop it" lab
timed "make test" "make test" run_tests
