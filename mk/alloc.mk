# The component library's allocators: freestanding objects (compiled once,
# here, and archived into libcomponent.a by mk/user.mk), host unit and randomized tests,
# libFuzzer targets (`make fuzz`) and the host benchmark (`make bench`).
LIB_ALLOC_SRCS := lib/alloc/avl.c lib/alloc/slab.c lib/alloc/range_alloc.c \
	lib/alloc/heap.c lib/alloc/heap_check.c lib/alloc/sliced_heap.c
LIB_ALLOC_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(LIB_ALLOC_SRCS))
ALLOC_HDRS := $(wildcard lib/include/alloc/*.h lib/alloc/*.h test/alloc/*.h) lib/include/mem.h

.PHONY: lib-alloc
lib-alloc: $(LIB_ALLOC_OBJS)
ALL_TARGETS += lib-alloc

$(BUILD)/lib/alloc/%.o: lib/alloc/%.c mk/flags.mk mk/alloc.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

-include $(LIB_ALLOC_OBJS:.o=.d)

# Host tests: every binary links the allocators and the recording backing store
# (HOST_TEST comes from mk/test.mk, which the top Makefile reads first).
ALLOC_TEST_SRCS := test/alloc/test_backing.c test/alloc/rand_model.c $(LIB_ALLOC_SRCS)
ALLOC_TESTS := range_alloc slab heap sliced_heap random typed
$(foreach t,$(ALLOC_TESTS),$(eval $(call HOST_TEST,alloc_$(t),test/alloc/test_$(t).c $(ALLOC_TEST_SRCS))))
$(foreach t,$(ALLOC_TESTS),$(eval $(HOST_TEST_DIR)/alloc_$(t): $(ALLOC_HDRS) mk/alloc.mk))

# Fuzzing: clang's libFuzzer with ASan and UBSan, one binary per allocator.
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter -Ilib/include -Ikernel \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ALLOC_FUZZERS := heap slab range_alloc sliced_heap
FUZZ_TARGETS += $(foreach f,$(ALLOC_FUZZERS),$(FUZZ_DIR)/fuzz_$(f))

$(FUZZ_DIR)/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/fuzz_input.h $(ALLOC_TEST_SRCS) $(ALLOC_HDRS) mk/alloc.mk
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(ALLOC_TEST_SRCS)

# Benchmark: optimised, no sanitizers; the peers are loaded at run time.
BENCH_DIR := $(BUILD)/bench
BENCH_TARGETS += $(BENCH_DIR)/host_alloc

$(BENCH_DIR)/host_alloc: test/bench/host_alloc.c $(LIB_ALLOC_SRCS) $(ALLOC_HDRS) mk/alloc.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g $(WARN) -Ilib/include -Ikernel -DNDEBUG -o $@ \
		test/bench/host_alloc.c $(LIB_ALLOC_SRCS) -ldl
