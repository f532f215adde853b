# The config parser (lib/sys/xml.c, archived into libcomponent.a by
# mk/user.mk): host unit tests and a libFuzzer target for `make fuzz`.
XML_SRCS := lib/sys/xml.c lib/sys/xml_node.c lib/sys/number.c kernel/format.c
XML_HDRS := lib/include/xml.h lib/include/number.h kernel/abi/err.h test/xml/count_alloc.h \
	test/xml/tree_check.h

HOST_TEST_CFLAGS_xml := -Ikernel/include
$(eval $(call HOST_TEST,xml,test/xml/test_xml.c $(XML_SRCS)))
$(HOST_TEST_DIR)/xml: $(XML_HDRS) mk/xml.mk

FUZZ_TARGETS += $(BUILD)/fuzz/fuzz_xml
$(BUILD)/fuzz/fuzz_xml: test/fuzz/fuzz_xml.c test/fuzz/fuzz_input.h $(XML_SRCS) $(XML_HDRS) mk/xml.mk
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -Ikernel/include -o $@ test/fuzz/fuzz_xml.c $(XML_SRCS)
