#!/usr/bin/env bash
# `npm run check:package`: the packed tarball as a registry would serve it, checked by the two tools made for
# this: @arethetypeswrong/cli (every entry's types resolve, in the right module format, under node10, node16
# from CommonJS and ESM, and bundler) and publint --strict (the manifest's fields point at what is packed).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
npm pack --silent --pack-destination "$out" >/dev/null
attw "$out"/*.tgz
publint --strict
