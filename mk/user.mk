# The component library (build/lib/libcomponent.a), core and the components
# under apps/. Every directory apps/NAME becomes build/apps/NAME/NAME.elf.
LIB_DIR := $(BUILD)/lib
LIB_SRCS := $(wildcard lib/sys/*.c) $(wildcard lib/sys/*.S) $(LIB_ALLOC_SRCS)
# Portable kernel sources that the library compiles too (see doc/architecture.md).
LIB_SHARED_OBJS := $(LIB_DIR)/format.o $(LIB_DIR)/elf.o
LIB_OBJS := $(patsubst %,$(LIB_DIR)/%.o,$(LIB_SRCS)) $(LIB_SHARED_OBJS)
LIB_A := $(LIB_DIR)/libcomponent.a
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

# USER_PROGRAM(name, dir): every .c/.S in dir, linked with the library.
define USER_PROGRAM
$(1)_SRCS := $$(wildcard $(2)/*.c) $$(wildcard $(2)/*.S)
$(1)_OBJS := $$(patsubst %,$(BUILD)/%.o,$$($(1)_SRCS))
$(BUILD)/$(2)/$(1).elf: $$($(1)_OBJS) $(LIB_A) $(USER_LD)
	$(LD) $(USER_LDFLAGS) -T $(USER_LD) -o $$@ $$($(1)_OBJS) $(LIB_A)
ALL_TARGETS += $(BUILD)/$(2)/$(1).elf
.PHONY: $(2)
$(2): $(BUILD)/$(2)/$(1).elf
-include $$($(1)_OBJS:.o=.d)
endef

$(BUILD)/%.c.o: %.c mk/flags.mk
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@
$(BUILD)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) -c $< -o $@

$(eval $(call USER_PROGRAM,core,core))
APPS := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard apps/*/*.c)))))
$(foreach a,$(APPS),$(eval $(call USER_PROGRAM,$(a),apps/$(a))))

.PHONY: core apps
core: $(BUILD)/core/core.elf
apps: $(foreach a,$(APPS),$(BUILD)/apps/$(a)/$(a).elf)

-include $(LIB_OBJS:.o=.d)

# Guest measurements (run/bench.run under -icount shift=0).
BENCH_TARGETS += tool/guest-bench
