# Top-level build. `make` builds everything; `make run/NAME` runs a scenario;
# `make test` runs all tests; `make bench` measures; `make fuzz` fuzzes.
# Every target that needs host tools installs them first through tool/deps.
# BUILD names the build directory; tool/run and tool/test read the same
# variable from the environment, so `BUILD=DIR make ...` moves everything.
BUILD ?= build
ifeq ($(strip $(BUILD)),)
override BUILD := build
endif
export BUILD

.DEFAULT_GOAL := all
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:
.DELETE_ON_ERROR:

include mk/flags.mk
include mk/test.mk
include mk/kernel.mk
include $(filter-out mk/flags.mk mk/test.mk mk/kernel.mk,$(sort $(wildcard mk/*.mk)))

SCENARIOS := $(sort $(basename $(notdir $(wildcard run/*.run))))

.PHONY: all deps deps-test deps-bench deps-fuzz deps-format test run/% bench fuzz format clean
all: deps kernel $(ALL_TARGETS)

# GRAPHIC=1 (make run/NAME GRAPHIC=1): QEMU opens a window; its GUI package comes along.
deps:
	@tool/deps $(if $(filter-out 0,$(GRAPHIC)),graphic,base)
deps-test:
	@tool/deps test
deps-bench:
	@tool/deps bench
deps-fuzz:
	@tool/deps fuzz
deps-format:
	@tool/deps format

run/%: deps all
	tool/run run/$*.run

test: deps-test all $(HOST_TESTS)
	tool/test --host "$(HOST_TESTS)" --scenarios "$(SCENARIOS)"

bench: deps-bench all $(BENCH_TARGETS)
	tool/bench $(BENCH_TARGETS)

fuzz: deps-fuzz $(FUZZ_TARGETS)
	tool/fuzz $(FUZZ_TARGETS)

format: deps-format
	clang-format -i $$(git ls-files --cached --others --exclude-standard '*.c' '*.h')

clean:
	rm -rf $(BUILD)
