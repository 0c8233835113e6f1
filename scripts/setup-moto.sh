#!/usr/bin/env bash
# setup-moto.sh: create the Python virtualenv with a pinned moto server (the
# local AWS emulator the aws tests run against) and boto3 (the benchmark peer).
# Idempotent: when the venv already has the pinned version it returns at once.
#   venv: ${FO_TOOLS_DIR:-<repo>/.tools}/venv
set -euo pipefail

MOTO_VERSION="5.2.5"

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${FO_TOOLS_DIR:-$repo/.tools}"
venv="$tools/venv"
stamp="$venv/.fo-moto-$MOTO_VERSION"

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ]; then
  echo "setup-moto: moto $MOTO_VERSION already in $venv"
  exit 0
fi

mkdir -p "$tools"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
# moto[server] brings flask + boto3; [server] plus the services we exercise.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "moto[server]==$MOTO_VERSION"
"$venv/bin/python" -c 'import moto, boto3, flask; print("setup-moto: moto", moto.__version__, "boto3", boto3.__version__)'
rm -f "$venv"/.fo-moto-*
touch "$stamp"
