#!/usr/bin/env bash
# Runs the command line's drift check (mlops drift) on the CLI tests' CSV files, a reference and a
# shifted current table, writing docs/cli-drift-report.html and docs/cli-drift-report.json, then opens
# the HTML in a real headless browser: Debian's chromium loads it with every host name unresolvable (so
# anything the page tried to fetch would be missing from the picture) and saves a screenshot to
# docs/cli-drift-report.png. Look at the picture after a change to the report or the CSV reader.
# Needs: apt-get install chromium. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl mlops-cli -am package -DskipTests
csv=mlops-cli/src/test/resources/csv
set +e
java -jar mlops-cli/target/mlops.jar drift "$csv/reference.csv" "$csv/current-shifted.csv" \
    --fail-on column --html docs/cli-drift-report.html --json docs/cli-drift-report.json
status=$?
set -e
if [ "$status" -ne 1 ]; then
    echo "expected exit code 1 (a drifted column) from the shifted table, got $status" >&2
    exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1180,2750 \
    --screenshot="$PWD/docs/cli-drift-report.png" "file://$PWD/docs/cli-drift-report.html"
test -s docs/cli-drift-report.png
echo "rendered docs/cli-drift-report.png"
