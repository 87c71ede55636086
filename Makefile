# ConnectParts dropship portal.
#   make run    build, migrate, seed demo data on first run, serve on :8080 (SQLite)
#   make test   the whole suite: unit + HTTP on SQLite, again on PostgreSQL, browser tests in Chromium
#   make check  gofmt, go vet, generated templ files fresh
#   make bench  benchmarks (Go benchmarks and scenarios)

SHELL := /bin/bash
GO ?= go
BIN := bin/portal
export GOFLAGS := -buildvcs=false

.PHONY: build run test test-unit test-pg test-browser check generate bench bench-scale clean tools

build: generate
	$(GO) build -o $(BIN) ./cmd/portal

generate:
	@$(GO) tool templ generate >/dev/null

run: build
	@mkdir -p var
	@$(BIN) seed --demo --if-empty
	@exec $(BIN) serve

# The suite runs once on SQLite, once on a throwaway PostgreSQL cluster and
# once in headless Chromium; scripts/test.sh provisions what is missing.
test: generate
	@bash scripts/test.sh

test-unit:
	$(GO) test -count=1 ./...

check:
	@bash scripts/check.sh

bench:
	@bash scripts/bench.sh
	@bash scripts/bench-scale.sh
	@$(GO) run ./scripts/benchsections

# Only the scale bench (pages and API under concurrent users): test-output/bench.md and bench.json.
bench-scale:
	@bash scripts/bench-scale.sh

clean:
	rm -rf bin test-output
