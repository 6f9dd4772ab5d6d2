# The developer entry points; see DEVELOPERS.md.
SHELL := /bin/bash
JOBS ?= 2
DB ?= sqlite:data/goji.db
LISTEN ?= 127.0.0.1:8080

.PHONY: deps web build build-dev run test bench fmt clean

deps:
	@bash scripts/deps.sh

# The web app (web/dist), served by goji.
web: deps
	@if [ -f web/package.json ]; then cd web && npm run build --silent; fi

build: deps web
	cmake --preset release >/dev/null
	cmake --build --preset release -j$(JOBS)

build-dev: deps web
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j$(JOBS)

run: build
	@mkdir -p data
	@./build/release/goji migrate --db $(DB)
	@./build/release/goji seed --demo --if-empty --db $(DB)
	@./build/release/goji serve --db $(DB) --listen $(LISTEN) --banner

test: build-dev
	@bash scripts/check_layers.sh
	@bash scripts/check_format.sh
	cd build/dev && ctest --output-on-failure -j2 --timeout 900

bench: build
	@bash scripts/bench.sh

fmt:
	@find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
