# portfoliod — build, test and tooling entry points.
#
# `make test` is the one test command: on a fresh machine it installs the
# pinned anvil from npm into .tools/ (git-ignored), Debian's postgresql
# with apt when /usr/lib/postgresql/*/bin/initdb is missing and Debian's
# chromium (the console's browser tests) when /usr/bin/chromium is missing,
# Debian's nginx (the cluster tests' balancer) when /usr/sbin/nginx is
# missing, then runs vet and the race tests over everything. Set
# ANVIL=/path/to/anvil to use another binary, PG_BIN=/dir/with/initdb
# another PostgreSQL, CHROMIUM=/path/to/chromium another browser,
# NGINX=/path/to/nginx another nginx.

SHELL := /bin/bash
GO    ?= go
TOOLS := $(CURDIR)/.tools

ANVIL_PKG := @foundry-rs/anvil-linux-amd64@1.7.1
SOLC_PKG  := solc@0.8.37
ANVIL     ?= $(TOOLS)/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
SOLCJS    := $(TOOLS)/solc/node_modules/solc/solc.js
export ANVIL
# The newest Debian PostgreSQL's bin directory, looked up when a recipe runs
# (so after `postgres` installed it); the store tests start their server
# from it.
PG_BIN    ?= $(patsubst %/initdb,%,$(lastword $(wildcard /usr/lib/postgresql/*/bin/initdb)))
export PG_BIN

.PHONY: all build build-lean test vet fmt-check anvil postgres chromium nginx solc contracts ui screenshots bench soak fuzz clean

all: build

build:
	$(GO) build ./...

## build-lean: a portfoliod binary without `dev`'s in-process chain
## (-tags nodev): about half the packages and size of the default build.
build-lean:
	$(GO) build -tags nodev -o portfoliod ./cmd/portfoliod

## test: install anvil, PostgreSQL, Chromium and nginx if needed, then gofmt check, vet and race tests.
test: anvil postgres chromium nginx fmt-check vet
	$(GO) test -race -count=1 -timeout 20m ./...

vet:
	$(GO) vet ./...
	$(GO) vet -tags nodev ./cmd/portfoliod

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.tools/*'))"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

## anvil: install the pinned anvil into .tools/anvil unless $$ANVIL already runs.
anvil:
	@if [ -x "$(ANVIL)" ]; then echo "anvil: $(ANVIL)"; else \
		echo "installing $(ANVIL_PKG) into $(TOOLS)/anvil"; \
		mkdir -p $(TOOLS)/anvil && \
		npm install --prefix $(TOOLS)/anvil --no-save --no-audit --no-fund --loglevel=error $(ANVIL_PKG) && \
		test -x "$(ANVIL)"; fi

## postgres: install Debian's postgresql (initdb, postgres, psql for the
## store tests) unless /usr/lib/postgresql/*/bin/initdb or $$PG_BIN/initdb exists.
postgres:
	@if [ -n "$$PG_BIN" ] && [ -x "$$PG_BIN/initdb" ]; then echo "postgres: $$PG_BIN"; \
	elif ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "postgres: $$(ls -d /usr/lib/postgresql/*/bin | tail -1)"; \
	else echo "installing postgresql with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends postgresql && \
		ls /usr/lib/postgresql/*/bin/initdb >/dev/null; fi

## chromium: install Debian's chromium (the console's browser tests drive
## it with chromedp) unless /usr/bin/chromium or $$CHROMIUM exists.
chromium:
	@if [ -n "$$CHROMIUM" ] && command -v "$$CHROMIUM" >/dev/null; then echo "chromium: $$CHROMIUM"; \
	elif [ -x /usr/bin/chromium ]; then echo "chromium: /usr/bin/chromium"; \
	else echo "installing chromium with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends chromium && \
		test -x /usr/bin/chromium; fi

## nginx: install Debian's nginx (internal/nginxtest runs it in the
## foreground from deploy/nginx.conf for the cluster tests) unless
## /usr/sbin/nginx or $$NGINX exists.
nginx:
	@if [ -n "$$NGINX" ] && command -v "$$NGINX" >/dev/null; then echo "nginx: $$NGINX"; \
	elif [ -x /usr/sbin/nginx ]; then echo "nginx: /usr/sbin/nginx"; \
	else echo "installing nginx with apt-get"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && apt-get install -y -q --no-install-recommends nginx && \
		test -x /usr/sbin/nginx; fi

## ui: reproduce the console's vendored files (console/static/vendor/)
## from the pinned npm package, checked against its tarball's SHA-256.
UPLOT_VERSION := 1.6.32
UPLOT_SHA256  := 4b8a8191e425658e3ea8c8c1314b0fc679c861ee3a1af2b20c7b16ba50b5133d
UPLOT_DIR     := console/static/vendor/uplot
ui:
	@set -e; mkdir -p $(TOOLS)/ui && cd $(TOOLS)/ui && rm -rf package uplot-*.tgz && \
		npm pack --silent uplot@$(UPLOT_VERSION) >/dev/null && \
		echo "$(UPLOT_SHA256)  uplot-$(UPLOT_VERSION).tgz" | sha256sum -c --quiet - && \
		tar xzf uplot-$(UPLOT_VERSION).tgz
	mkdir -p $(UPLOT_DIR)
	cp $(TOOLS)/ui/package/dist/uPlot.esm.js $(TOOLS)/ui/package/dist/uPlot.min.css $(UPLOT_DIR)/
	cp $(TOOLS)/ui/package/LICENSE $(UPLOT_DIR)/LICENSE.txt
	git diff --stat -- $(UPLOT_DIR)

## screenshots: refresh the README's console screenshots (docs/console-*.png)
## from the browser test run; every run also writes each page to .artifacts/console/.
screenshots: anvil chromium
	CONSOLE_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run '^TestConsoleSupportFlow$$' ./console

## solc: install the pinned solc-js into .tools/solc.
solc:
	@if [ -f "$(SOLCJS)" ]; then :; else \
		mkdir -p $(TOOLS)/solc && \
		npm install --prefix $(TOOLS)/solc --no-save --no-audit --no-fund --loglevel=error $(SOLC_PKG); fi

## contracts: recompile contracts/*.sol and regenerate abi/<contract>/ (ABI, bytecode, abigen v2 bindings).
contracts: solc
	SOLCJS=$(SOLCJS) ./contracts/build.sh

## bench: the SPEC section 8 benchmark against anvil (a few minutes): prints
## the targets table and writes docs/benchmarks.md. BENCH_FLAGS passes flags
## (go run ./bench -h); BENCH_QUICK=1 runs small sizes in seconds.
bench: anvil
	BENCH_COMMAND="make bench" $(GO) run ./bench $(BENCH_FLAGS)

## soak: 64 clients mixing onboarding, patches, profile, portfolio and
## wallet reads against anvil with the race detector for 60s; prints
## requests, statuses, p50/p99 and goroutine and heap growth, and fails on
## any 5xx. SOAK_FLAGS passes flags (go run ./soak -h).
soak: anvil
	$(GO) run -race ./soak -duration 60s $(SOAK_FLAGS)

## fuzz: run each Fuzz* of FUZZ_PKGS for FUZZTIME (default 30s) each; their
## seed corpora (testdata/fuzz included) already run in `make test`.
FUZZTIME  ?= 30s
FUZZ_PKGS ?= ./api ./cmd/portfoliod
fuzz: anvil
	@set -e; for pkg in $(FUZZ_PKGS); do \
		for fn in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$pkg/*_test.go | cut -c6-); do \
			echo "== $$pkg $$fn for $(FUZZTIME)"; \
			$(GO) test -run='^$$' -fuzz="^$$fn\$$" -fuzztime=$(FUZZTIME) $$pkg; \
		done; \
	done

clean:
	rm -rf $(TOOLS)
