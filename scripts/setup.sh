#!/usr/bin/env bash
# 建设工程安全监督站工作台 — one script to set up and run everything on a fresh machine.
#
#   bash scripts/setup.sh run   [station-app args…]   install, then start the app (SQLite in the user data dir)
#   bash scripts/setup.sh test  [pytest args…]        install, then ruff + mypy + the whole pytest suite, then the
#                                                     date-dependent tests (-m clock) again at today's date and
#                                                     with the clock moved past the last known holiday year
#   bash scripts/setup.sh bench [bench args…]         install, then bench/run_all.py
#   bash scripts/setup.sh build                       install, then the PyInstaller bundle in build/dist/
#
# Idempotent: finds Python 3.12, creates .venv if missing (or not 3.12), pip-installs '.[dev]' only
# when pyproject.toml changed since the last install, and (as root on Debian/Ubuntu) apt-installs the
# system packages Qt, the tests and the bundle need, only those not yet installed.
#
# Environment: STATION_SKIP_APT=1 skips the apt step; STATION_PYTHON=/path/to/python3.12 picks the
# interpreter; STATION_PYTEST_WORKERS (default 2) sets pytest-xdist's -n.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
CMD="${1:-}"
[ $# -gt 0 ] && shift

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] 错误 / error:\033[0m %s\n' "$*" >&2; exit 2; }

usage() {
    cat <<'EOF'
用法 / usage: bash scripts/setup.sh {run|test|bench|build} [args…]
  run    安装并启动程序 / install and start the app
  test   安装并运行全部检查与测试 / install and run ruff, mypy and the whole test suite
  bench  安装并运行性能基准 / install and run the benchmarks (bench/run_all.py)
  build  安装并构建 PyInstaller 程序包 / install and build the bundle (build/dist/station-app)
EOF
}

case "$CMD" in
    run|test|bench|build) ;;
    -h|--help|help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

WINDOWS=0
case "$(uname -s 2>/dev/null || echo unknown)" in
    MINGW*|MSYS*|CYGWIN*) WINDOWS=1 ;;
esac
if [ "$WINDOWS" = 1 ]; then VBIN="$ROOT/.venv/Scripts"; VPY="$VBIN/python.exe"; else VBIN="$ROOT/.venv/bin"; VPY="$VBIN/python"; fi

# ---------------------------------------------------------------- Debian packages (root only)
# Qt's runtime libraries (xcb platform plugin included, for a real window), a CJK font, Xvfb.
QT_PKGS="libegl1 libgl1 libfontconfig1 libglib2.0-0 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
 libxcb-shape0 libxcb-xkb1 xvfb xauth"
BUILD_PKGS="binutils"                                                   # PyInstaller (objdump, strip)
DOC_PKGS="libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils" # docx/xlsx → PDF → PNG checks

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

apt_step() {
    [ "$WINDOWS" = 1 ] && return 0
    [ "${STATION_SKIP_APT:-0}" = 1 ] && return 0
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian/Ubuntu: the user installs Qt's deps
    local want="$QT_PKGS"
    case "$CMD" in
        test|bench) want="$want $BUILD_PKGS $DOC_PKGS" ;;
        build) want="$want $BUILD_PKGS" ;;
    esac
    local missing="" p
    for p in $want; do installed "$p" || missing="$missing $p"; done
    if ! installed fonts-noto-cjk && ! installed fonts-wqy-microhei; then missing="$missing fonts-noto-cjk"; fi
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" != 0 ]; then
        say "缺少系统软件包 / missing Debian packages:$missing"
        say "请以 root 安装 / install them as root: sudo apt-get install -y --no-install-recommends$missing"
        return 0
    fi
    say "apt-get install:$missing"
    local t0=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    # shellcheck disable=SC2086
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
    say "apt 完成 / done in $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- Python 3.12
is312() { "$@" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' >/dev/null 2>&1; }
realpy() { "$@" -c 'import sys; print(sys.executable)'; }

find_python() {
    local c v
    if [ -n "${STATION_PYTHON:-}" ]; then
        is312 "$STATION_PYTHON" || die "STATION_PYTHON=$STATION_PYTHON is not a working Python 3.12"
        realpy "$STATION_PYTHON"; return
    fi
    # 1. python3.12 on PATH, if it really runs (a pyenv shim without the version selected does not)
    if command -v python3.12 >/dev/null 2>&1 && is312 python3.12; then realpy python3.12; return; fi
    # 2. pyenv with a 3.12.x installed
    if command -v pyenv >/dev/null 2>&1; then
        for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.12(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
            if PYENV_VERSION="$v" is312 python3.12; then PYENV_VERSION="$v" realpy python3.12; return; fi
        done
    fi
    # 3. the usual places
    for c in /root/.pyenv/versions/3.12*/bin/python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python3.12 \
             /usr/bin/python3.12 /usr/local/bin/python3.12 /opt/python3.12/bin/python3.12; do
        [ -x "$c" ] && is312 "$c" && { realpy "$c"; return; }
    done
    # 4. Windows (Git Bash): the py launcher
    if [ "$WINDOWS" = 1 ] && command -v py >/dev/null 2>&1 && is312 py -3.12; then realpy py -3.12; return; fi
    die "找不到 Python 3.12 / no Python 3.12 found (PySide6 6.12 needs 3.12; 3.11 crashes).
  安装方法 / install one, e.g.:  pyenv install 3.12   or   https://www.python.org/downloads/ (Windows)
  或指定 / or point to it:        STATION_PYTHON=/path/to/python3.12 bash scripts/setup.sh $CMD"
}

venv_step() {
    if [ -x "$VPY" ] && is312 "$VPY"; then return 0; fi
    local py; py="$(find_python)"
    if [ -e "$ROOT/.venv" ]; then
        say "重建 .venv（不是可用的 Python 3.12）/ recreating .venv (not a working Python 3.12)"
        "$py" -m venv --clear "$ROOT/.venv"
    else
        say "创建 .venv / creating .venv with $py"
        "$py" -m venv "$ROOT/.venv"
    fi
}

pip_step() {
    local stamp="$ROOT/.venv/.station-setup-stamp" want
    want="$( (cat "$ROOT/pyproject.toml"; "$VPY" -VV) | cksum | cut -d' ' -f1,2)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
        && { [ -x "$VBIN/station-app" ] || [ -x "$VBIN/station-app.exe" ]; }; then
        return 0
    fi
    if [ -f "$stamp" ]; then
        say "pip install -e '.[dev]'（pyproject.toml 有变化 / changed since the last install）"
    else
        say "pip install -e '.[dev]'（首次安装 / first install into .venv）"
    fi
    local t0=$SECONDS
    rm -f "$stamp"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VPY" -m pip install -q -e "$ROOT[dev]"
    printf '%s\n' "$want" >"$stamp"
    say "pip 完成 / done in $((SECONDS - t0)) s"
}

T_SETUP=$SECONDS
apt_step
venv_step
pip_step
say "环境就绪 / environment ready in $((SECONDS - T_SETUP)) s ($("$VPY" -V))"

# ---------------------------------------------------------------- commands
case "$CMD" in
run)
    APP="$VBIN/station-app"
    if [ "$WINDOWS" = 0 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
        command -v xvfb-run >/dev/null 2>&1 || die "没有显示器且没有 xvfb-run / no DISPLAY and no xvfb-run (apt-get install xvfb xauth)"
        say "没有显示器（DISPLAY 未设置）：在 Xvfb 虚拟屏幕中运行，窗口不可见 / no DISPLAY: running under Xvfb (invisible)"
        exec xvfb-run -a -s "-screen 0 1600x1000x24" "$APP" "$@"
    fi
    exec "$APP" "$@"
    ;;
bench)
    [ -f "$ROOT/bench/run_all.py" ] || die "bench/run_all.py 不存在 / does not exist yet"
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    exec "$VPY" -m bench.run_all "$@"
    ;;
build)
    exec "$VPY" "$ROOT/installer/build.py" "$@"
    ;;
test)
    export QT_QPA_PLATFORM=offscreen
    declare -A RC TIME
    step() {  # step NAME command…
        local name="$1" t0=$SECONDS rc=0; shift
        say "── $name: $*"
        "$@" || rc=$?
        RC[$name]=$rc; TIME[$name]=$((SECONDS - t0))
    }
    # The frozen-bundle tests need build/dist/station-app (~1 min, one core): build it in the background
    # while ruff and mypy use the other core; the tests wait for it (a file lock) and reuse it.
    BUILD_PID=""
    if [ $# -eq 0 ]; then
        mkdir -p "$ROOT/build"
        "$VPY" "$ROOT/installer/build.py" --if-stale >"$ROOT/build/bundle-build.log" 2>&1 &
        BUILD_PID=$!
        say "── bundle: installer/build.py --if-stale in the background (log: build/bundle-build.log)"
    fi
    step ruff "$VBIN/ruff" check "$ROOT"
    step mypy "$VBIN/mypy" --config-file "$ROOT/pyproject.toml"
    step pytest "$VPY" -m pytest -n "${STATION_PYTEST_WORKERS:-2}" --durations=15 "$@"
    # The tests whose result depends on today's date, once more on their own at the real date and once
    # with the whole run's clock on 1 March of the year after the last year with holiday data (the
    # weeks before next year's arrangement is published, every year). Only after the full suite.
    STEPS="ruff mypy pytest"
    if [ $# -eq 0 ]; then
        step clock@today "$VPY" -m pytest -n "${STATION_PYTEST_WORKERS:-2}" -m clock
        step clock@after-calendar "$VPY" -m pytest -n "${STATION_PYTEST_WORKERS:-2}" -m clock --clock-at=after-calendar
        STEPS="$STEPS clock@today clock@after-calendar"
    fi
    if [ -n "$BUILD_PID" ] && ! wait "$BUILD_PID"; then
        say "后台构建失败 / the background bundle build failed: build/bundle-build.log"; tail -20 "$ROOT/build/bundle-build.log"
    fi
    echo
    say "══════════ 汇总 / summary ══════════"
    for n in $STEPS; do
        if [ "${RC[$n]}" = 0 ]; then r="通过 / ok"; else r="失败 / FAILED (exit ${RC[$n]})"; fi
        printf '  %-21s %-28s %4d s\n' "$n" "$r" "${TIME[$n]}"
    done
    printf '  %-21s %-28s %4d s\n' total "" "$((SECONDS - T_SETUP))"
    # pytest's own code goes through unchanged (5 = no tests collected is a failure, not success)
    for n in pytest clock@today clock@after-calendar; do
        if [ -n "${RC[$n]:-}" ] && [ "${RC[$n]}" != 0 ]; then exit "${RC[$n]}"; fi
    done
    if [ "${RC[ruff]}" != 0 ] || [ "${RC[mypy]}" != 0 ]; then exit 1; fi
    exit 0
    ;;
esac
