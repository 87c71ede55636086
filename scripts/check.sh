#!/usr/bin/env bash
# make check: no build products tracked, formatting, vet, and generated templ
# files up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
if ! bash scripts/check-tracked.sh; then fail=1; fi
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '_templ.go$') 2>&1 || true)
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:"; echo "$unformatted"; fail=1
fi
if ! go vet ./...; then fail=1; fi
if ! go tool templ fmt -fail views >/dev/null 2>&1; then
  echo "templ fmt: run 'go tool templ fmt views'"; go tool templ fmt -fail views || true; fail=1
fi
go tool templ generate >/dev/null
stale=$(git status --porcelain -- '*_templ.go')
if [ -n "$stale" ]; then
  echo "generated templ files are stale (run make generate and commit):"; echo "$stale"; fail=1
fi
[ $fail = 0 ] && echo "check: ok"
exit $fail
