#!/usr/bin/env bash
# Refuses build products in git: a tracked executable binary (ELF, PE, Mach-O,
# or any file with the executable bit that is not a text script) anywhere, or a
# tracked file over 1 MiB outside testdata/ and fixtures/ folders.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=$((1024 * 1024))
fail=0
while IFS= read -r -d '' entry; do
  mode=${entry%% *}
  path=${entry#*$'\t'}
  [ -f "$path" ] || continue
  magic=$(head -c 4 -- "$path" | od -An -tx1 | tr -d ' \n')
  case "$magic" in
    7f454c46*|4d5a*|feedface|feedfacf|cefaedfe|cffaedfe|cafebabe)
      echo "tracked binary: $path (an executable; build products stay out of git)"; fail=1; continue ;;
  esac
  if [ "$mode" = 100755 ] && [ "$(head -c 2 -- "$path")" != '#!' ]; then
    echo "tracked binary: $path (executable bit without a #! script line)"; fail=1; continue
  fi
  case "/$path" in
    */testdata/*|*/fixtures/*) continue ;;
  esac
  size=$(stat -c %s -- "$path")
  if [ "$size" -gt "$limit" ]; then
    echo "tracked file too large: $path ($size bytes > 1 MiB outside testdata/ and fixtures/)"; fail=1
  fi
done < <(git ls-files -s -z | sed -z 's/^\([0-9]*\) [0-9a-f]* [0-9]\t/\1 \t/')
if [ $fail = 0 ]; then echo "tracked files: ok"; fi
exit $fail
