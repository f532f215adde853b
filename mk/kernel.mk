# The kernel: linked twice, the second time with its own symbol table in
# .ksyms (placed last, so nothing else moves). Also writes kernel.sym and a
# disassembly next to the ELF.
KERNEL_DIR := $(BUILD)/kernel
KERNEL_SRCS := $(wildcard boot/*.S) $(wildcard kernel/*.c) \
	$(wildcard kernel/arch/x86_64/*.c) $(wildcard kernel/arch/x86_64/*.S)
KERNEL_OBJS := $(patsubst %,$(KERNEL_DIR)/%.o,$(KERNEL_SRCS))
KERNEL_ELF := $(KERNEL_DIR)/kernel.elf

$(KERNEL_DIR)/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) $(KERNEL_CFLAGS_$(notdir $<)) -c $< -o $@

# The IPC fast paths are entered from the system-call stub, which has saved
# every user register in the frame and restores all of them from the frame
# it leaves with: the callee-saved registers need no saving in between.
KERNEL_CFLAGS_ipc_fast.c := $(foreach r,rbx r12 r13 r14 r15,-fcall-used-$(r))

$(KERNEL_DIR)/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(KERNEL_DIR)/ksyms_empty.S: tool/mksyms
	@mkdir -p $(dir $@)
	tool/mksyms --empty > $@

$(KERNEL_DIR)/ksyms%.o: $(KERNEL_DIR)/ksyms%.S
	$(CC) -c $< -o $@

$(KERNEL_DIR)/kernel.pass1.elf: $(KERNEL_OBJS) $(KERNEL_DIR)/ksyms_empty.o linker.ld
	$(LD) $(KERNEL_LDFLAGS) -T linker.ld -o $@ $(KERNEL_OBJS) $(KERNEL_DIR)/ksyms_empty.o

$(KERNEL_DIR)/ksyms_full.S: $(KERNEL_DIR)/kernel.pass1.elf tool/mksyms
	$(NM) -n $< | tool/mksyms > $@

$(KERNEL_ELF): $(KERNEL_DIR)/kernel.pass1.elf $(KERNEL_DIR)/ksyms_full.o
	$(LD) $(KERNEL_LDFLAGS) -T linker.ld -o $@ $(KERNEL_OBJS) $(KERNEL_DIR)/ksyms_full.o
	@$(NM) -n $(KERNEL_DIR)/kernel.pass1.elf | grep ' [tT] ' > $(KERNEL_DIR)/syms.pass1
	@$(NM) -n $@ | grep ' [tT] ' > $(KERNEL_DIR)/syms.pass2
	@cmp -s $(KERNEL_DIR)/syms.pass1 $(KERNEL_DIR)/syms.pass2 || \
		{ echo "kernel: text moved between link passes" >&2; rm -f $@; exit 1; }
	$(NM) -n $@ > $(KERNEL_DIR)/kernel.sym
	$(OBJDUMP) -d --no-show-raw-insn $@ > $(KERNEL_DIR)/kernel.dis

.PHONY: kernel
kernel: $(KERNEL_ELF)

-include $(KERNEL_OBJS:.o=.d)
$(KERNEL_OBJS): mk/flags.mk mk/kernel.mk

