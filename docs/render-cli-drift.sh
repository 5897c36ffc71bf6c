#!/usr/bin/env bash
# Runs the README's `mlops drift` command, word for word (read from README.md), on copies of the CLI
# tests' CSV files, a reference and a shifted current table, and fails unless it prints the output and
# exits with the code the README shows. Its reports become docs/cli-drift-report.html and
# docs/cli-drift-report.json; then a real headless browser, Debian's chromium, opens the HTML with every
# host name unresolvable (so anything the page tried to fetch would be missing from the picture) and saves
# a screenshot to docs/cli-drift-report.png. Look at the picture after a change to the report or the CSV
# reader. Needs: apt-get install chromium. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mvn -B -q -pl mlops-cli -am package -DskipTests
csv=mlops-cli/src/test/resources/csv

# the command as the README prints it, and what the README says it prints and exits with
line=$(grep -m1 '^\$ mlops drift ' README.md)
read -ra args <<< "${line#'$ mlops '}"
expected_out=$(awk -v cmd="$line" '$0 == cmd { on = 1; next } on && $0 == "$ echo $?" { exit } on { print }' README.md)
expected_status=$(awk -v cmd="$line" '$0 == cmd { on = 1; next } on && $0 == "$ echo $?" { getline; print; exit }' README.md)

work=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$work" "$profile"' EXIT
cp "$csv/reference.csv" "$csv/current-shifted.csv" "$work/"
echo "${line}"
set +e
(cd "$work" && java -jar "$root/mlops-cli/target/mlops.jar" "${args[@]}") > "$work/stdout.txt"
status=$?
set -e
cat "$work/stdout.txt"
if [ "$status" != "$expected_status" ]; then
    echo "the README says the command exits $expected_status; it exited $status" >&2
    exit 1
fi
if ! diff -u <(printf '%s\n' "$expected_out") "$work/stdout.txt" >&2; then
    echo "the command's output differs from the README's (above: - README, + now)" >&2
    exit 1
fi
cp "$work/report.html" docs/cli-drift-report.html
cp "$work/report.json" docs/cli-drift-report.json

chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1180,2150 \
    --screenshot="$PWD/docs/cli-drift-report.png" "file://$PWD/docs/cli-drift-report.html"
test -s docs/cli-drift-report.png
echo "rendered docs/cli-drift-report.png"
