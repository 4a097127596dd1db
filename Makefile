# SPDX-License-Identifier: GPL-3.0-or-later
#
# Two commands for a fresh Debian 12 machine:
#   make run    install what is missing, build, open the app on the bundled sample dataset
#   make test   install what is missing, build, run the whole suite headless (plain and ASan+UBSan)

BUILD ?= _build
BUILD_ASAN ?= _build-asan
BUILD_FUZZ ?= _build-fuzz
FUZZ_SECONDS ?= 600
MESON_TEST_ARGS ?= --print-errorlogs

# Debian 12 packages needed to build, run and test. Installed with --no-install-recommends, so
# everything used is named here (gstreamer1.0-gl: GTK's media backend needs glsinkbin;
# postgresql-15: the team tests start a throwaway server; libpq-dev: the shared review store).
DEBIAN_PACKAGES := build-essential pkg-config meson ninja-build \
	libgtk-4-dev libgtk-4-bin libgtk-4-media-gstreamer libadwaita-1-dev \
	libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base \
	gstreamer1.0-plugins-good gstreamer1.0-gl gstreamer1.0-libav gstreamer1.0-tools \
	libsqlite3-dev sqlite3 libcjson-dev libsoup-3.0-dev libsecret-1-dev \
	libsnappy-dev zlib1g-dev libzstd-dev postgresql-15 libpq-dev \
	xvfb xauth dbus dbus-x11 at-spi2-core gettext desktop-file-utils appstream-util \
	imagemagick valgrind time clang libclang-rt-14-dev python3 \
	python3-pandas python3-pil python3-yaml nodejs \
	fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build build-asan build-fuzz run test test-plain test-asan test-valgrind bench fuzz \
	fuzz-ci clean

all: build

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@# npm installs DuckDB for the export's reader test; a Node.js from elsewhere brings its own.
	@command -v npm >/dev/null || { $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm; }

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Ddevelopment=true

$(BUILD_ASAN)/build.ninja:
	meson setup $(BUILD_ASAN) -Ddevelopment=true -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dbuildtype=debug

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

build-asan: deps $(BUILD_ASAN)/build.ninja
	meson compile -C $(BUILD_ASAN)

run: build
	GSETTINGS_SCHEMA_DIR=$(BUILD)/data $(BUILD)/app/gui/mimicdesk data/sample

test: test-plain test-asan test-valgrind

test-plain: build
	xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- \
	  meson test -C $(BUILD) $(MESON_TEST_ARGS)

test-asan: build-asan
	xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- \
	  meson test -C $(BUILD_ASAN) --setup asan $(MESON_TEST_ARGS)

test-valgrind: build
	meson test -C $(BUILD) --setup valgrind $(MESON_TEST_ARGS)

# libFuzzer targets (clang, ASan + UBSan) in their own build: each runs FUZZ_SECONDS (fuzz) or
# 20 s (fuzz-ci), two at a time on two cores.
build-fuzz: deps
	tests/fuzz/build-fuzzers.sh $(BUILD_FUZZ)

fuzz: build-fuzz
	tests/fuzz/run-fuzzers.sh $(FUZZ_SECONDS) $(BUILD_FUZZ)

fuzz-ci: build-fuzz
	tests/fuzz/run-fuzzers.sh 20 $(BUILD_FUZZ)

# Benchmarks (not part of `make test`): each prints its figures and a ratio against a baseline run
# side by side. BENCH_PAIRS / BENCH_STORE_GB / BENCH_STORE_KB size the store benchmark (defaults:
# full MIMIC-IT scale; BENCH_STORE_KB=1 gives the store MIMIC-IT's image count).
BENCH_PAIRS ?= 2800000
BENCH_STORE_GB ?= 2
BENCH_STORE_KB ?= 96
BENCH_TARGETS := tests/bench/bench-store-search tests/bench/gen-corpus tests/bench/bench-syphus tests/bench/bench-parquet \
	tests/bench/bench-export tests/bench/bench-browser

bench: build
	ninja -C $(BUILD) $(BENCH_TARGETS)
	tests/bench/run-store-bench.sh $(BENCH_PAIRS) $(BENCH_STORE_GB) $(BENCH_STORE_KB)
	$(BUILD)/tests/bench/bench-syphus 2000
	$(BUILD)/tests/bench/bench-parquet --gb 3 --fetch 1000
	$(BUILD)/tests/bench/bench-export 5000
	/usr/bin/python3 tests/bench/bench-export-script.py $(BUILD)/app/cli/mimicdesk-cli \
	  $(BUILD)/bench-export-script 100000
	xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- $(BUILD)/tests/bench/bench-browser

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ)
