# The ELF checker (kernel/elf.c, built into the kernel and the library):
# host unit tests, which also check the linked programs of the build, and
# a libFuzzer target for `make fuzz`.
ELF_SRCS := kernel/elf.c
ELF_HDRS := kernel/abi/elf.h kernel/abi/err.h kernel/abi/types.h test/elf/elf_sample.h

$(eval $(call HOST_TEST,elf,test/elf/test_elf.c $(ELF_SRCS)))
$(HOST_TEST_DIR)/elf: $(ELF_HDRS) mk/elf.mk $(BUILD)/apps/hello/hello.elf $(BUILD)/core/core.elf

FUZZ_TARGETS += $(BUILD)/fuzz/fuzz_elf
$(BUILD)/fuzz/fuzz_elf: test/fuzz/fuzz_elf.c test/fuzz/fuzz_input.h $(ELF_SRCS) $(ELF_HDRS) mk/elf.mk
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ test/fuzz/fuzz_elf.c $(ELF_SRCS)
