#!/usr/bin/env bash
# Renders the example drift report (docs/drift-report.html, docs/drift-report.json) and checks it in a
# real headless browser: Debian's chromium loads the page with every host name unresolvable (so anything
# the page tried to fetch would be missing from the picture) and saves a screenshot to
# docs/drift-report.png. The window is as tall as the example's page; look at the picture after a change.
# Needs: apt-get install chromium. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl mlops-examples -am package -DskipTests exec:java \
    -Dexec.mainClass=dev.mlops.examples.DriftReportExample -Dexec.args=docs

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1180,3600 \
    --screenshot="$PWD/docs/drift-report.png" "file://$PWD/docs/drift-report.html"
test -s docs/drift-report.png
echo "rendered docs/drift-report.png"
