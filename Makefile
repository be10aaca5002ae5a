# ngoportal: `make run` sets everything up and serves the portal;
# `make test` runs every check and test. See README.md.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
BIN := bin/portal
DEVDB := bin/devdb
GO_SOURCES = $(shell find . -name '*.go' -not -path './.data/*' -not -name '*_templ.go')
TEMPL_SOURCES = $(shell find . -name '*.templ' -not -path './.data/*')
STATIC_DIR := web/ui/static

.PHONY: run build generate test check check-fmt check-templ check-assets vet go-test db-url db-status db-stop psql help bench bench-scale load

# WITH_DATABASE_URL starts a recipe line: it exports DATABASE_URL, the one
# already set or else the URL of the private development cluster (bin/devdb
# starts the cluster and creates the database if needed). bin/portal itself
# never starts a database.
WITH_DATABASE_URL = if [ -z "$${DATABASE_URL:-}" ]; then DATABASE_URL=$$($(DEVDB) url); fi; export DATABASE_URL;

## run: generate, build, bring up the database, migrate, load the demo data and serve
run: generate build
	@$(WITH_DATABASE_URL) \
	$(BIN) migrate; \
	$(BIN) seed --demo; \
	exec $(BIN) serve

## build: compile bin/portal (the server) and bin/devdb (the development cluster)
build: generate
	@$(GO) build -o $(BIN) ./cmd/portal
	@$(GO) build -o $(DEVDB) ./cmd/devdb

## generate: regenerate the templ components and the brotli/gzip variants of the static assets (only changed files are rewritten)
generate:
	@$(GO) tool templ generate -log-level warn
	@$(GO) run ./cmd/precompress $(STATIC_DIR)

## test: formatting, vet, stale generated files, then every test on a real PostgreSQL and Chromium
test: check go-test

check: check-fmt check-templ check-assets vet

check-fmt:
	@out=$$(gofmt -l $(GO_SOURCES)); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	@for f in $(TEMPL_SOURCES); do \
	  $(GO) tool templ fmt -stdout "$$f" 2>/dev/null | cmp -s - "$$f" || { echo "templ fmt needed on $$f"; exit 1; }; \
	done

## check-templ: fail when a committed *_templ.go differs from what its .templ generates
check-templ:
	@stale=0; for f in $(TEMPL_SOURCES); do \
	  g="$${f%.templ}_templ.go"; \
	  if [ ! -f "$$g" ] || ! $(GO) tool templ generate -f "$$f" -stdout 2>/dev/null | cmp -s - "$$g"; then \
	    echo "stale generated file: $$g (run make generate and commit it)"; stale=1; \
	  fi; \
	done; exit $$stale

## check-assets: fail when a committed .br/.gz of web/ui/static differs from what make generate writes, is missing or left over
check-assets:
	@$(GO) run ./cmd/precompress -check $(STATIC_DIR)

vet:
	@$(GO) vet ./...

go-test:
	$(GO) test -count=1 -timeout 20m ./...

## db-url: print the URL of the private development database, starting it if needed (export DATABASE_URL="$(make -s db-url)")
db-url:
	@$(GO) run ./cmd/devdb url

db-status:
	@$(GO) run ./cmd/devdb status

## db-stop: stop the private PostgreSQL cluster under .data/
db-stop:
	@$(GO) run ./cmd/devdb stop

## psql: open psql on the development database
psql:
	@$(GO) run ./cmd/devdb psql

help:
	@grep -E '^## ' Makefile | sed 's/^## //'

# Performance (docs/benchmarks.md): Go benchmarks and a load run, never timed tests.
BENCH_FLAGS ?=
LOAD_FLAGS ?= -c 64 -d 10s -warmup 2s
LOAD_SLUG ?= 2021-municipal-leadership-session

## bench: Go benchmarks of the public pages through the real router (BENCH_FLAGS="-benchtime 3s -count 3")
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(BENCH_FLAGS) ./internal/server/

## bench-scale: the admin pages over 2,000 NGOs × 10 years of reports, median time and statements per request (BENCH_NGOS, BENCH_YEARS, BENCH_SCALE_FLAGS="-count 5")
BENCH_SCALE_FLAGS ?= -benchtime 200x -count 3
bench-scale:
	BENCH_SCALE=1 $(GO) test -run '^$$' -bench 'ScalePages' -benchmem -timeout 60m $(BENCH_SCALE_FLAGS) ./internal/server/

## load: serve the demo on a free loopback port, load the summary, /, /sessions and /ngos (and each with If-None-Match) with cmd/loadgen next to a bare net/http server
load: build
	@$(GO) build -o bin/loadgen ./cmd/loadgen
	@$(WITH_DATABASE_URL) \
	$(BIN) migrate; \
	$(BIN) seed --demo >/dev/null; \
	port=18080; while (exec 3<>/dev/tcp/127.0.0.1/$$port) 2>/dev/null; do port=$$((port+1)); done; \
	log=$$(mktemp); base=http://127.0.0.1:$$port; \
	PORT=$$port PORTAL_HOST=127.0.0.1 $(BIN) serve >/dev/null 2>"$$log" & pid=$$!; \
	trap 'kill $$pid 2>/dev/null || true; wait $$pid 2>/dev/null || true; rm -f "$$log"' EXIT; \
	if ! bin/loadgen -wait 60s -expect 200 -n 1 -warmup 0 "$$base/" >/dev/null 2>&1; then \
	  echo "make load: the portal did not come up on $$base; its log:"; tail -n 20 "$$log"; exit 1; \
	fi; \
	if ! bin/loadgen -expect 200 -n 1 -warmup 0 "$$base/sessions/$(LOAD_SLUG)" >/dev/null 2>&1; then \
	  echo "make load: the demo data has no published summary at /sessions/$(LOAD_SLUG);"; \
	  echo "  publish that session's summary as the federation admin, or set LOAD_SLUG to a published session's slug"; exit 1; \
	fi; \
	urls="$$base/sessions/$(LOAD_SLUG) $$base/ $$base/sessions $$base/ngos"; \
	echo "bin/loadgen $(LOAD_FLAGS) -pid $$pid -expect 200 -conditional -baseline $$urls"; \
	bin/loadgen $(LOAD_FLAGS) -pid $$pid -expect 200 -conditional -baseline $$urls
