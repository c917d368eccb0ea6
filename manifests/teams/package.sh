#!/usr/bin/env bash
# Fills the {{TOKEN}} placeholders of manifest.json from environment variables of the same name and zips the
# app package Teams uploads. Nothing is written into manifest.json itself, so the template stays reusable.
#   TEAMS_APP_ID=… MICROSOFT_APP_ID=… DEVELOPER_WEBSITE_URL=… PRIVACY_URL=… TERMS_OF_USE_URL=… \
#     bash manifests/teams/package.sh [output.zip]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
output="$(realpath -m "${1:-$here/../rollout-bot.zip}")"
guid='^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'

problems=()
for name in TEAMS_APP_ID MICROSOFT_APP_ID; do
  value="${!name:-}"
  if [[ ! "$value" =~ $guid ]]; then
    problems+=("$name must be a GUID like 00000000-0000-0000-0000-000000000000 (got '${value}').")
  fi
done
for name in DEVELOPER_WEBSITE_URL PRIVACY_URL TERMS_OF_USE_URL; do
  value="${!name:-}"
  if [[ ! "$value" =~ ^https:// ]]; then
    problems+=("$name must be an https:// URL (got '${value}').")
  fi
done
if [ "${#problems[@]}" -gt 0 ]; then
  printf '%s\n' "${problems[@]}" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
manifest="$(cat "$here/manifest.json")"
for name in TEAMS_APP_ID MICROSOFT_APP_ID DEVELOPER_WEBSITE_URL PRIVACY_URL TERMS_OF_USE_URL; do
  manifest="${manifest//"{{$name}}"/"${!name}"}"
done
if grep -q '{{' <<<"$manifest"; then
  echo "manifest.json has a placeholder this script does not know: $(grep -o '{{[A-Z_]*}}' <<<"$manifest" | sort -u | tr '\n' ' ')" >&2
  exit 2
fi
printf '%s\n' "$manifest" >"$work/manifest.json"
cp "$here/color.png" "$here/outline.png" "$work/"
rm -f "$output"
(cd "$work" && zip -q "$output" manifest.json color.png outline.png)
echo "Wrote $output"
