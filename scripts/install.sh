#!/usr/bin/env bash
# Installs apictl with its test tools, plus the Debian toolchains the end-to-end SDK tests use
# (tsc for the JS typings, OkHttp/Gson/JUnit for the Android SDK) and wrk for benchmarks/serve_wrk.py. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES="node-typescript libokhttp-java libgoogle-gson-java junit4 wrk"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $APT_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    $SUDO apt-get update -qq || echo "install.sh: apt-get update failed; SDK end-to-end tests may skip" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null \
      || echo "install.sh: could not install$missing; the tests that need them will skip" >&2
  fi
fi
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
# An editable install runs the checkout's sources, and this environment may set PYTHONDONTWRITEBYTECODE=1:
# compile them once here, or every apictl run recompiles the modules it imports (~35 ms of start-up).
# (A regular `pip install .` compiles on install by itself.)
python3 -m compileall -q -j 0 apictl >/dev/null
