// SPDX-License-Identifier: MIT
/*
 * Address-to-name lookup over the table tools/ksyms.py generates. The
 * table is sorted by address, so a lookup is a binary search.
 */
#include <xcall/format.h>
#include <xcall/ksyms.h>

extern const u64 __ksym_count;
extern const u64 __ksym_addrs[];
extern const u32 __ksym_name_offs[];
extern const char __ksym_names[];
extern const char __kernel_start[], __text_end[];

const char *ksym_lookup(unsigned long addr, unsigned long *offset)
{
	u64 lo = 0, hi = __ksym_count;

	if (addr < (unsigned long)__kernel_start || addr >= (unsigned long)__text_end)
		return NULL;
	/* Find the last symbol at or below @addr. */
	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (__ksym_addrs[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	*offset = addr - __ksym_addrs[lo - 1];
	return &__ksym_names[__ksym_name_offs[lo - 1]];
}

char *ksym_format(char *buf, size_t size, unsigned long addr)
{
	unsigned long off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		snprintf(buf, size, "%s+0x%lx", name, off);
	else
		snprintf(buf, size, "0x%016lx", addr);
	return buf;
}
