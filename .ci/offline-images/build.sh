#!/usr/bin/env bash
# Stand-ins for python:3.11-slim and postgres:16 on a machine whose container engine can't reach
# Docker Hub (only Debian's mirror and PyPI): a debootstrapped Debian bookworm with Python 3.11,
# trusting this machine's extra CAs (a TLS-intercepting egress), and Debian's PostgreSQL with the
# official image's POSTGRES_* variables. Then tests/test_container_image.py runs with
#   PACER_TEST_PYTHON_IMAGE=pacer-local/python:3.11-slim PACER_TEST_POSTGRES_IMAGE=pacer-local/postgres:16
# Needs root, debootstrap and a running docker daemon.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase --include=python3.11,python3.11-venv,python3-pip,ca-certificates,curl \
    bookworm "$work/rootfs" http://deb.debian.org/debian
tar -C "$work/rootfs" -c . | docker import - pacer-local/bookworm-py:base
mkdir -p "$work/ctx/certs"
cp /usr/local/share/ca-certificates/*.crt "$work/ctx/certs/" 2>/dev/null || true
docker build -t pacer-local/python:3.11-slim -f "$here/python.Dockerfile" "$work/ctx"
docker build -t pacer-local/postgres:16 -f "$here/postgres.Dockerfile" "$here"
