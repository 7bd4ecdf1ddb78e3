# Quick start (see README.md):
#   make run    install missing packages, build, start kirokud with the demo data
#   make test   install missing packages, build, run every test
BUILD_DIR ?= build
DATA_DIR  ?= ./kiroku-data
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
MAKEFLAGS += --no-print-directory

.PHONY: all deps configure build run test clean format

all: build

deps:
	@install/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@$(BUILD_DIR)/bin/kiroku --data $(DATA_DIR) demo
	@exec $(BUILD_DIR)/bin/kirokud --data $(DATA_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
