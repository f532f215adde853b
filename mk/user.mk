# The component library (build/lib/libcomponent.a), core, the components
# under apps/ and the test components under test/apps/. Every directory
# apps/NAME becomes build/apps/NAME/NAME.elf; every test/apps/NAME becomes the
# module test-NAME, build/test/apps/NAME/test-NAME.elf (make target test/apps/NAME),
# and test/core/ makes test-core, the test variant of core.
LIB_DIR := $(BUILD)/lib
LIB_SRCS := $(wildcard lib/sys/*.c) $(wildcard lib/sys/*.S)
# Portable kernel sources that the library compiles too (see doc/architecture.md);
# the allocators' objects are the ones mk/alloc.mk builds for lib-alloc.
LIB_SHARED_OBJS := $(LIB_DIR)/format.o $(LIB_DIR)/elf.o
LIB_OBJS := $(patsubst %,$(LIB_DIR)/%.o,$(LIB_SRCS)) $(LIB_ALLOC_OBJS) $(LIB_SHARED_OBJS)
LIB_A := $(LIB_DIR)/libcomponent.a
# What of the runtime needs the FPU (lib/fp/): only components link it.
LIB_FP_SRCS := $(wildcard lib/fp/*.c)
LIB_FP_OBJS := $(patsubst %,$(LIB_DIR)/fp-%.o,$(LIB_FP_SRCS)) $(LIB_DIR)/format_fp.o
LIB_FP_A := $(LIB_DIR)/libcomponent_fp.a
USER_LD := lib/user.ld

$(LIB_DIR)/%.c.o: %.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(LIB_DIR)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(LIB_SHARED_OBJS): $(LIB_DIR)/%.o: kernel/%.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Ikernel/include -c $< -o $@

$(LIB_A): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(LIB_DIR)/fp-%.c.o: %.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(APP_CFLAGS) -c $< -o $@

# format.c once more, with the floating-point conversions, under names of its own
$(LIB_DIR)/format_fp.o: kernel/format.c kernel/format_float.h mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(APP_CFLAGS) -Ikernel/include -DFORMAT_FLOAT -Dformat_v=format_fp_v \
		-Dformat_vbuf=format_fp_vbuf -Dformat_buf=format_fp_buf -c $< -o $@

$(LIB_FP_A): $(LIB_FP_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# USER_PROGRAM(name, dir[, objects]): every .c/.S in dir and the given
# objects of another program, linked with the library.
define USER_PROGRAM
$(1)_SRCS := $$(wildcard $(2)/*.c) $$(wildcard $(2)/*.S)
$(1)_OBJS := $$(patsubst %,$(BUILD)/%.o,$$($(1)_SRCS))
$(BUILD)/$(2)/$(1).elf: $$($(1)_OBJS) $(3) $(LIB_A) $(LIB_FP_A) $(USER_LD)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $$@ $$($(1)_OBJS) $(3) $(LIB_FP_A) $(LIB_A)
ALL_TARGETS += $(BUILD)/$(2)/$(1).elf
.PHONY: $(2)
$(2): $(BUILD)/$(2)/$(1).elf
-include $$($(1)_OBJS:.o=.d)
endef

# core and its test variant never touch the FPU; components use the full ABI.
$(BUILD)/core/%.c.o: core/%.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/test/core/%.c.o: test/core/%.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Icore -c $< -o $@
$(BUILD)/%.c.o: %.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(APP_CFLAGS) -c $< -o $@
$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(eval $(call USER_PROGRAM,core,core))
# The test variant of core, module test-core: core's objects plus its
# self-tests in test/core/, which core reaches through a weak hook.
$(eval $(call USER_PROGRAM,test-core,test/core,$(core_OBJS)))
APPS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard apps/*/*.c)))))
$(foreach a,$(APPS),$(eval $(call USER_PROGRAM,$(a),apps/$(a))))
TEST_APPS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard test/apps/*/*.c)))))
$(foreach a,$(TEST_APPS),$(eval $(call USER_PROGRAM,test-$(a),test/apps/$(a))))

.PHONY: core apps test-apps
core: $(BUILD)/core/core.elf
apps: $(foreach a,$(APPS),$(BUILD)/apps/$(a)/$(a).elf)
test-apps: $(foreach a,$(TEST_APPS),$(BUILD)/test/apps/$(a)/test-$(a).elf)

-include $(LIB_OBJS:.o=.d)

# Guest measurements (run/bench.run under -icount shift=0).
BENCH_TARGETS += tool/guest-bench
