# Quick start (see README.md):
#   make run    install missing packages, build, start kirokud with the demo data
#   make test   install missing packages, build, run every test (the normal build, then
#               the sanitizer build: every test under ASan/UBSan and each fuzzer briefly)
#   make fuzz   fuzz each harness of tests/fuzz/ for FUZZ_SECONDS (see docs/fuzzing.md)
BUILD_DIR ?= build
SAN_DIR   ?= build-san
FUZZ_SECONDS ?= 240
DATA_DIR  ?= ./kiroku-data
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
MAKEFLAGS += --no-print-directory

.PHONY: all deps configure build san run test test-san fuzz clean format

all: build

deps:
	@install/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@$(BUILD_DIR)/bin/kiroku --data $(DATA_DIR) init >/dev/null
	@$(BUILD_DIR)/bin/kiroku --data $(DATA_DIR) demo
	@exec $(BUILD_DIR)/bin/kirokud --data $(DATA_DIR)

# The sanitizer build (KIROKU_SANITIZE, clang): the fuzz harnesses, and every program and
# test again with AddressSanitizer and UndefinedBehaviorSanitizer.
san: deps
	@cmake -S . -B $(SAN_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DKIROKU_SANITIZE=ON \
	    -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	@cmake --build $(SAN_DIR) -j$(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)
	@$(MAKE) test-san

# The whole suite once more against the sanitizer build (the e2e tests run its bin/), with
# the fuzz harnesses replaying their saved regressions and fuzzing a few seconds each.
test-san: san
	@cd $(SAN_DIR) && ctest --output-on-failure -j$(JOBS)

fuzz: san
	@ls $(SAN_DIR)/bin/fuzz | xargs -P $(JOBS) -I{} \
	    bash tests/fuzz/run.sh fuzz {} $(SAN_DIR)/bin/fuzz/{} $(FUZZ_SECONDS)

# Rewrites every C++ source as clang-format-14 lays it out (checked by the style_format test).
format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format-14 -i

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR)
