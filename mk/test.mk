# Host unit tests (cmocka), built with AddressSanitizer and UBSan.
# HOST_TEST(name, sources): one test binary build/test/<name>; other mk/
# fragments use it too. Every binary lands in HOST_TESTS, which make test runs.
# HOST_TEST_CFLAGS_<name> adds flags for one test.
HOST_TEST_DIR := $(BUILD)/test

define HOST_TEST
HOST_TESTS += $(HOST_TEST_DIR)/$(1)
$(HOST_TEST_DIR)/$(1): $(2) mk/flags.mk mk/test.mk
	@mkdir -p $$(dir $$@)
	$(HOSTCC) $(HOST_CFLAGS) $$(HOST_TEST_CFLAGS_$(1)) $(SAN_FLAGS) -o $$@ $(2) -lcmocka
endef

KSTRING_RENAMES := $(foreach f,memcpy memmove memset memcmp strlen strnlen strcmp strncmp strlcpy str_has_word,-D$(f)=k_$(f))
$(HOST_TEST_DIR)/kstring_prefixed.o: kernel/kstring.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fno-builtin -Ikernel/include $(SAN_FLAGS) $(KSTRING_RENAMES) -c -o $@ $<

HOST_TEST_CFLAGS_kernel_format := -Ikernel/include
HOST_TEST_CFLAGS_kernel_kstring := -Ikernel/include
$(eval $(call HOST_TEST,kernel_format,test/kernel/test_format.c kernel/format.c))
HOST_TEST_CFLAGS_kernel_format_float := -Ikernel/include -DFORMAT_FLOAT
$(eval $(call HOST_TEST,kernel_format_float,test/kernel/test_format_float.c kernel/format.c))
$(HOST_TEST_DIR)/kernel_format_float: kernel/format_float.h
$(eval $(call HOST_TEST,kernel_kstring,test/kernel/test_kstring.c $(HOST_TEST_DIR)/kstring_prefixed.o))

# The frame table and capability tables, over a RAM buffer that stands in
# for the direct map (test/kernel/include/arch/layout.h replaces the arch's).
HOST_TEST_CFLAGS_kernel_cap_gen := -Itest/kernel/include -Ikernel/include
$(eval $(call HOST_TEST,kernel_cap_gen,test/kernel/test_cap_gen.c kernel/frame.c kernel/cap.c))

.PHONY: host-tests
host-tests: $(HOST_TESTS)
$(eval $(call HOST_TEST,lib_session_args,test/lib/test_session_args.c lib/sys/session_args.c lib/sys/number.c))

# Fuzzing the session-argument parser that core runs on untrusted input.
FUZZ_TARGETS += $(BUILD)/fuzz/fuzz_session_args
$(BUILD)/fuzz/fuzz_session_args: test/fuzz/fuzz_session_args.c lib/sys/session_args.c lib/sys/number.c \
		lib/include/session_args.h lib/include/number.h
	@mkdir -p $(dir $@)
	$(CLANG) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Ilib/include -Ikernel \
		-fsanitize=fuzzer,address,undefined -o $@ test/fuzz/fuzz_session_args.c lib/sys/session_args.c lib/sys/number.c
# The component runtime's string functions, against the host's (renamed: rt_*).
LIBC_RENAMES := $(foreach f,memchr strnlen strncpy strcat strncat strchr strrchr strstr strspn strcspn strtol strtoul strtoll strtoull atoi atol abs labs errno qsort bsearch,-D$(f)=rt_$(f))
$(HOST_TEST_DIR)/libc_string_prefixed.o: lib/sys/libc_string.c mk/flags.mk mk/test.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fno-builtin $(SAN_FLAGS) $(LIBC_RENAMES) -c -o $@ $<
$(eval $(call HOST_TEST,lib_libc_string,test/lib/test_libc_string.c $(HOST_TEST_DIR)/libc_string_prefixed.o))
$(eval $(call HOST_TEST,lib_libc_ctype,test/lib/test_libc_ctype.c))
$(HOST_TEST_DIR)/lib_libc_ctype: lib/include/libc/ctype.h

# The runtime's exact <math.h> functions against the host's (renamed: rt_*).
LIBM_RENAMES := $(foreach f,fabs copysign trunc floor ceil round sqrt fmin fmax fmod ldexp frexp modf,-D$(f)=rt_$(f))
$(HOST_TEST_DIR)/libm_prefixed.o: lib/fp/math.c lib/fp/bits.h mk/flags.mk mk/test.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fno-builtin $(SAN_FLAGS) $(LIBM_RENAMES) -c -o $@ $<
$(eval $(call HOST_TEST,lib_libm,test/lib/test_libm.c $(HOST_TEST_DIR)/libm_prefixed.o -lm))

# The runtime's strtod against the host's (renamed: rt_strtod).
$(HOST_TEST_DIR)/strtod_prefixed.o: lib/fp/strtod.c lib/fp/bits.h mk/flags.mk mk/test.mk
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -fno-builtin $(SAN_FLAGS) -Dstrtod=rt_strtod -Derrno=rt_errno -c -o $@ $<
$(eval $(call HOST_TEST,lib_strtod,test/lib/test_strtod.c $(HOST_TEST_DIR)/strtod_prefixed.o -lm))

# The capability slot set that core and components share (lib/sys/slot.c).
$(eval $(call HOST_TEST,lib_slot,test/lib/test_slot.c lib/sys/slot.c))
HOST_TEST_CFLAGS_lib_slot := -pthread
