# Huitou — `make serve` builds the site and serves it; `make test` runs every check.
# Each target installs what it needs first, so both work from a fresh clone.

PORT ?= 8080
CARGO_JOBS ?= 2
WASM_TARGET := wasm32-unknown-unknown
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/[^0-9.]/,""); print; exit}' Cargo.lock)
WASM := target/$(WASM_TARGET)/release/huitou.wasm
# The same core with wasm SIMD, built apart so that its flags do not rebuild the plain one.
SIMD_DIR := target/simd
SIMD_WASM := $(SIMD_DIR)/$(WASM_TARGET)/release/huitou.wasm
CLI := target/release/huitou
FUZZ_SECONDS ?= 20
ESBUILD := node_modules/.bin/esbuild

.PHONY: serve test bench build tools rust-tools node-tools browser check clean

serve: build
	node scripts/serve.mjs dist $(PORT)

test: tools check build
	HUITOU_FUZZ_SECONDS=$(FUZZ_SECONDS) cargo test --profile fuzz --jobs $(CARGO_JOBS) --test fuzz
	node --test tests/browser/

# Huitou against PapaParse, DuckDB-WASM and the speed of light (BENCH_SIZES=10,100,1000 MB; see
# scripts/bench.mjs). Generated files are kept in target/bench/.
bench: tools build
	node scripts/bench.mjs

# Static checks and the Rust tests (host).
check: rust-tools
	cargo fmt --check
	cargo clippy --jobs $(CARGO_JOBS) --all-targets -- -D warnings
	cargo clippy --jobs $(CARGO_JOBS) --lib --target $(WASM_TARGET) -- -D warnings
	cargo test --jobs $(CARGO_JOBS) -- --skip fuzz

# dist/: plain static files, servable from any static host.
build: rust-tools node-tools
	cargo build --release --jobs $(CARGO_JOBS) --lib --target $(WASM_TARGET)
	RUSTFLAGS="-C target-feature=+simd128" CARGO_TARGET_DIR=$(SIMD_DIR) \
		cargo build --release --jobs $(CARGO_JOBS) --lib --target $(WASM_TARGET)
	cargo build --release --jobs $(CARGO_JOBS) --bin huitou
	rm -rf dist $(SIMD_DIR)/pkg && mkdir -p dist/pkg dist/sample
	# The name section (function names for stack traces, 65 KB) is left out of what sellers download.
	wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir dist/pkg $(WASM)
	wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir $(SIMD_DIR)/pkg $(SIMD_WASM)
	# www/wasm.js loads either .wasm through one glue: the builds must export the same.
	cmp dist/pkg/huitou.js $(SIMD_DIR)/pkg/huitou.js
	cp $(SIMD_DIR)/pkg/huitou_bg.wasm dist/pkg/huitou_simd_bg.wasm
	$(ESBUILD) www/app.js --bundle --format=esm --minify --target=es2022 --outfile=dist/app.js --log-level=warning
	cp www/index.html www/worker.js www/read.js www/reader.js www/wasm.js www/sw.js www/style.css dist/
	$(CLI) sample > dist/sample/demo-shop.csv

tools: rust-tools node-tools browser

rust-tools:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $(WASM_BINDGEN_VERSION)" \
		|| cargo install --jobs $(CARGO_JOBS) wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy rustfmt

node-tools: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Debian's Chromium drives the browser tests (a test tool's own browser download cannot work here).
browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/opentype/noto || { apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk; }

clean:
	rm -rf dist target node_modules
