/*
 * The one error type of the system, shared by kernel, core, lib and host
 * tests. Every fallible function returns err_t; ERR_OK is zero. New errors
 * go at the end, so the numbers components already know stay. The ELF_
 * errors are those of the ELF checker (kernel/abi/elf.h, elf_check), one
 * for each reason to refuse an image; the XML_ errors those of the config
 * parser (lib/include/xml.h).
 */
#pragma once

#define ERR_TABLE(X)                                                  \
	X(OK, "success")                                              \
	X(INVALID_CAP, "invalid capability")                          \
	X(WRONG_TYPE, "capability names an object of the wrong type") \
	X(NO_RIGHTS, "capability lacks the required rights")          \
	X(INVALID_ARGS, "invalid arguments")                          \
	X(BAD_ADDRESS, "address outside the user half or unaligned")  \
	X(OUT_OF_RAM, "RAM quota exhausted")                          \
	X(OUT_OF_CAPS, "capability quota exhausted")                  \
	X(SLOT_IN_USE, "capability slot already in use")              \
	X(NO_SLOT, "no free capability slot")                         \
	X(NOT_FOUND, "no such object")                                \
	X(REGION_CONFLICT, "region conflicts with an attachment")     \
	X(INVALID_DATASPACE, "invalid dataspace")                     \
	X(UNKNOWN_SYSCALL, "unknown system call")                     \
	X(UNKNOWN_OPCODE, "unknown request opcode")                   \
	X(WOULD_BLOCK, "operation would block")                       \
	X(ABORTED, "partner vanished during the operation")           \
	X(DENIED, "permission denied")                                \
	X(BUSY, "resource already in use")                            \
	X(EXISTS, "object already exists")                            \
	X(NOT_MAPPED, "address not mapped")                           \
	X(NO_MEMORY, "allocator has no memory left")                  \
	X(DOUBLE_FREE, "block is not allocated")                      \
	X(FOREIGN_PTR, "pointer does not belong to this allocator")   \
	X(OVERFLOW, "size or address arithmetic overflows")           \
	X(TIMEOUT, "timed out")                                       \
	X(NO_CAP_RECEIVED, "the reply carried no capability")         \
	X(UNALIGNED, "address, offset or size not page-aligned")      \
	X(OUT_OF_RANGE, "address or range outside the object")        \
	X(NO_SPACE, "no free range large enough")                     \
	X(LIMIT, "a documented per-component limit is reached")       \
	X(ELF_NOT_ELF64, "not a little-endian ELF64 file")            \
	X(ELF_TRUNCATED, "ELF file ends inside a header or segment")  \
	X(ELF_WRONG_MACHINE, "ELF file not built for x86_64")         \
	X(ELF_NOT_EXECUTABLE, "ELF file is not an executable")        \
	X(ELF_BAD_PHENTSIZE, "ELF program header size is not 56")     \
	X(ELF_BAD_SEGMENT, "ELF segment filesz exceeds its memsz")    \
	X(ELF_SEGMENT_OUTSIDE, "ELF segment outside the user range")  \
	X(ELF_WRITE_EXEC, "ELF segment is writeable and executable")  \
	X(ELF_TOO_MANY_SEGMENTS, "ELF file has too many segments")    \
	X(ELF_SEGMENTS_OVERLAP, "ELF segments share a page")          \
	X(ELF_BAD_ENTRY, "ELF entry not in an executable segment")    \
	X(XML_SYNTAX, "XML text is malformed or unsupported")         \
	X(XML_LIMIT, "XML text exceeds a parser limit")               \
	X(XML_BAD_VALUE, "XML attribute value is not of the expected form")

typedef enum {
#define ERR_ENUM(name, text) ERR_##name,
	ERR_TABLE(ERR_ENUM)
#undef ERR_ENUM
	    ERR_COUNT
} err_t;

/* err_str: a human-readable text for e; never NULL. */
static inline const char *err_str(err_t e)
{
	switch (e) {
#define ERR_CASE(name, text) \
	case ERR_##name: return text;
		ERR_TABLE(ERR_CASE)
#undef ERR_CASE
	default: return "unknown error";
	}
}

/* err_name: the symbolic name of e ("OUT_OF_RAM"); never NULL. */
static inline const char *err_name(err_t e)
{
	switch (e) {
#define ERR_NAME(name, text) \
	case ERR_##name: return #name;
		ERR_TABLE(ERR_NAME)
#undef ERR_NAME
	default: return "?";
	}
}
