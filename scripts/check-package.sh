#!/usr/bin/env bash
# `npm run check:package`: the packed tarball as a registry would serve it, checked by the two tools made for
# this: @arethetypeswrong/cli (every entry's types resolve, in the right module format, under node10, node16
# from CommonJS and ESM, and bundler) and publint --strict (the manifest's fields point at what is packed).
# Then the packed manifest itself: no script that npm runs at install time (npm 11 warns about each), and
# the repository's package.json back exactly as it was (prepack strips `prepare`, postpack restores it).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
before="$(sha256sum package.json)"
trap 'node scripts/pack-manifest.mjs restore; rm -rf "$out"' EXIT
npm pack --silent --pack-destination "$out" >/dev/null
attw "$out"/*.tgz
publint --strict
tar -xzf "$out"/*.tgz -C "$out" package/package.json
node -e '
  const { scripts = {}, peerDependencies = {} } = require(process.argv[1]);
  const found = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare"]
    .filter((name) => name in scripts);
  if (found.length > 0) {
    console.error(`packed package.json has install-time scripts: ${found.join(", ")}`);
    process.exit(1);
  }
  // A peer (even optional) of a production dependency makes npm keep the devDependency of the app of that name
  // in `npm install --omit=dev`; ./testing uses the @nestjs/testing of the app instead.
  if ("@nestjs/testing" in peerDependencies) {
    console.error("packed package.json lists @nestjs/testing as a peer: production installs would carry it");
    process.exit(1);
  }
' "$out/package/package.json"
if [ "$(sha256sum package.json)" != "$before" ]; then
  echo "package.json changed by npm pack (postpack did not restore it)" >&2
  exit 1
fi
echo "packed manifest: no install-time scripts, no test-only peer; package.json unchanged"
