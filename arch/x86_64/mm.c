// SPDX-License-Identifier: MIT
/*
 * The kernel's page tables: an identity map of physical memory, 4-level,
 * 2 MiB pages where one memory type and one permission cover the whole
 * 2 MiB, 4 KiB pages where they do not (the kernel image, the edges of
 * RAM, guard pages). Owns the tables and PAT; the frames come from
 * kernel/mm.c.
 *
 * Memory types go through PAT (SDM vol. 3A, 12.12, "Page Attribute Table (PAT)"): entry 0 write-back,
 * entry 1 reprogrammed to write-combining for framebuffers, entry 3
 * uncached for device registers. Every CPU programs the same PAT, as the
 * SDM requires ("Programming the PAT", vol. 3A 12.12.4).
 */
#include <asm/cpu.h>
#include <asm/irq_vectors.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/pgtable_types.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <xcall/arch.h>
#include <xcall/errno.h>
#include <xcall/mm.h>
#include <xcall/panic.h>
#include <xcall/printk.h>

#define LOW_4G		(1ull << 32)

/* PAT: the power-on value with entry 1 changed from WT (4) to WC (1),
 * one byte per entry (SDM vol. 3A, 12.12, the PAT memory-type encodings and the
 * PAT entry selection tables). */
#define PAT_VALUE	0x0007040600070106ull
#define PTE_CACHE_WB	0
#define PTE_CACHE_WC	PTE_PWT			/* PAT entry 1 */
#define PTE_CACHE_UC	(PTE_PCD | PTE_PWT)	/* PAT entry 3 */

static u64 *pml4;
static u64 nx;		/* PTE_NX when the CPU has it, else 0 */

extern const char __kernel_start[], __text_end[], __rodata_end[];
extern const char __bss_end[], __kernel_end[];
extern const char boot_stack_guard[];

static unsigned int pt_index(unsigned long va, unsigned int level)
{
	/* level 4 = PML4 ... level 1 = PT */
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static u64 *table_of(u64 entry)
{
	return (u64 *)(entry & PTE_ADDR_MASK);
}

static u64 *new_table(void)
{
	return alloc_pages(1);
}

/* Replace a 2 MiB entry with a table of 512 4 KiB entries mapping the
 * same memory the same way. */
static int split_large(u64 *pde)
{
	u64 *pt = new_table();
	u64 base = *pde & PTE_ADDR_MASK & ~(LARGE_SIZE - 1);
	u64 flags = *pde & PTE_FLAGS_MASK & ~PTE_PS;

	if (!pt)
		return -ENOMEM;
	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		pt[i] = (base + i * PAGE_SIZE) | flags;
	*pde = (u64)pt | PTE_P | PTE_W;
	return 0;
}

/*
 * The entry for @va at @level (2 for a 2 MiB page, 1 for 4 KiB), creating
 * tables on the way and splitting a large page in the way. NULL when out
 * of memory.
 */
static u64 *walk(unsigned long va, unsigned int level)
{
	u64 *table = pml4;

	for (unsigned int l = PT_LEVELS; l > level; l--) {
		u64 *e = &table[pt_index(va, l)];

		if (!(*e & PTE_P)) {
			u64 *t = new_table();

			if (!t)
				return NULL;
			/* Permissions are decided at the leaf; upper levels
			 * allow everything. */
			*e = (u64)t | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			if (split_large(e))
				return NULL;
		}
		table = table_of(*e);
	}
	return &table[pt_index(va, level)];
}

static u64 cache_bits(enum page_cache c)
{
	switch (c) {
	case PAGE_CACHE_WC:
		return PTE_CACHE_WC;
	case PAGE_CACHE_UC:
		return PTE_CACHE_UC;
	default:
		return PTE_CACHE_WB;
	}
}

static bool is_ram_type(u32 type)
{
	return type == MB2_MEM_AVAILABLE || type == MB2_MEM_ACPI_RECLAIM ||
	       type == MB2_MEM_NVS;
}

/* How much of [start, end) the map calls RAM: 0 none, 1 some, 2 all. */
static int ram_coverage(const struct mb2_info *mbi, u64 start, u64 end)
{
	u64 covered = 0;

	for (size_t i = 0; i < mbi->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &mbi->mmap[i];
		u64 s = max(start, e->base), t = min(end, e->base + e->len);

		if (is_ram_type(e->type) && s < t)
			covered += t - s;
	}
	/* Overlapping map entries could count twice; more than all is all. */
	return covered == 0 ? 0 : covered >= end - start ? 2 : 1;
}

static int map_page(unsigned long va, u64 flags)
{
	u64 *pte = walk(va, 1);

	if (!pte)
		return -ENOMEM;
	*pte = (va & PTE_ADDR_MASK) | flags;
	return 0;
}

int paging_map_range(phys_addr_t phys, u64 size, enum page_cache cache)
{
	u64 flags = PTE_P | PTE_W | nx | cache_bits(cache);
	u64 start = ALIGN_DOWN(phys, PAGE_SIZE);
	u64 end = ALIGN_UP(phys + size, PAGE_SIZE);

	for (u64 a = start; a < end;) {
		if (IS_ALIGNED(a, LARGE_SIZE) && end - a >= LARGE_SIZE) {
			u64 *pde = walk(a, 2);

			if (!pde)
				return -ENOMEM;
			*pde = a | flags | PTE_PS;
			invlpg(a);
			a += LARGE_SIZE;
		} else {
			if (map_page(a, flags))
				return -ENOMEM;
			invlpg(a);
			a += PAGE_SIZE;
		}
	}
	return 0;
}

int paging_unmap_page(unsigned long addr)
{
	u64 *pte = walk(addr, 1);

	if (!pte)
		return -ENOMEM;
	*pte = 0;
	invlpg(addr);
	return 0;
}

int paging_map_exec_page(unsigned long addr)
{
	int err = map_page(ALIGN_DOWN(addr, PAGE_SIZE), PTE_P | PTE_CACHE_WB);

	invlpg(addr);
	return err;
}

bool paging_is_mapped(unsigned long addr)
{
	u64 *table = pml4;

	for (unsigned int l = PT_LEVELS; l >= 1; l--) {
		u64 e = table[pt_index(addr, l)];

		if (!(e & PTE_P))
			return false;
		if (l == 1 || (e & PTE_PS))
			return true;
		table = table_of(e);
	}
	return false;
}

void paging_query(unsigned long addr, struct page_query *q)
{
	u64 *table = pml4;
	bool w = true, x = true;

	*q = (struct page_query){ 0 };
	for (unsigned int l = PT_LEVELS; l >= 1; l--) {
		u64 e = table[pt_index(addr, l)];

		if (!(e & PTE_P))
			return;
		w = w && (e & PTE_W);
		x = x && !(e & nx);
		if (l == 1 || (e & PTE_PS)) {
			u64 cache = e & (PTE_PCD | PTE_PWT);

			q->present = true;
			q->writable = w;
			q->executable = x;
			q->cache = cache == PTE_CACHE_UC ? PAGE_CACHE_UC :
				   cache == PTE_CACHE_WC ? PAGE_CACHE_WC : PAGE_CACHE_WB;
			q->page_size = 1ul << (PAGE_SHIFT + 9 * (l - 1));
			return;
		}
		table = table_of(e);
	}
}

phys_addr_t paging_cr3(void)
{
	return (phys_addr_t)pml4;
}

/* The kernel image, 4 KiB at a time, each part with its own rights. */
static void map_kernel(void)
{
	for (unsigned long a = (unsigned long)__kernel_start;
	     a < (unsigned long)__kernel_end; a += PAGE_SIZE) {
		u64 flags = PTE_P;

		if (a < (unsigned long)__text_end)
			;				/* text: read, execute */
		else if (a < (unsigned long)__rodata_end)
			flags |= nx;			/* read-only data */
		else if (a < (unsigned long)__bss_end)
			flags |= PTE_W | nx;		/* data, bss */
		else
			flags |= nx;			/* symbol table */
		if (map_page(a, flags))
			panic("mm: out of memory for the kernel's page tables");
	}
}

/* Everything below max(4 GiB, top of the map): 2 MiB pages where the
 * memory map gives one type to the whole page, 4 KiB pages where not. */
static void map_physical(const struct mb2_info *mbi, u64 top)
{
	u64 ram = PTE_P | PTE_W | nx | PTE_CACHE_WB;
	u64 dev = PTE_P | PTE_W | nx | PTE_CACHE_UC;

	for (u64 a = 0; a < top; a += LARGE_SIZE) {
		int cov = ram_coverage(mbi, a, a + LARGE_SIZE);
		u64 *pde = walk(a, 2);

		if (!pde)
			panic("mm: out of memory for the page tables");
		if (cov != 1) {
			*pde = a | PTE_PS | (cov ? ram : dev);
			continue;
		}
		for (u64 p = a; p < a + LARGE_SIZE; p += PAGE_SIZE)
			if (map_page(p, ram_coverage(mbi, p, p + PAGE_SIZE) ? ram : dev))
				panic("mm: out of memory for the page tables");
	}
}

void paging_init(const struct mb2_info *mbi)
{
	u64 top = LOW_4G;

	/* Device ranges above 4 GiB (QEMU reserves one at 1 TiB) are mapped
	 * when a driver asks, not up front. */
	for (size_t i = 0; i < mbi->nr_mmap; i++)
		if (is_ram_type(mbi->mmap[i].type))
			top = max(top, mbi->mmap[i].base + mbi->mmap[i].len);
	top = ALIGN_UP(top, LARGE_SIZE);

	if (cpu_has(X86_FEATURE_NX)) {
		nx = PTE_NX;
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	}
	if (cpu_has(X86_FEATURE_PAT))
		wrmsr(MSR_IA32_PAT, PAT_VALUE);

	pml4 = new_table();
	if (!pml4)
		panic("mm: out of memory for the page tables");
	map_physical(mbi, top);
	map_kernel();
	/* NULL dereferences fault; so does running off the boot stack or
	 * one of the boot CPU's exception stacks. */
	if (paging_unmap_page(0) || paging_unmap_page((unsigned long)boot_stack_guard))
		panic("mm: out of memory for the page tables");
	for (unsigned int i = 0; i < NR_IST_STACKS; i++)
		if (paging_unmap_page(boot_ist_guard_page(i)))
			panic("mm: out of memory for the page tables");

	write_cr3((unsigned long)pml4);
	pr_info("mm: identity map up to 0x%llx, NX %s, PAT %s\n",
		(unsigned long long)top, nx ? "on" : "off",
		cpu_has(X86_FEATURE_PAT) ? "WB/WC/UC" : "absent");
}

/* The same memory types on every CPU (SDM vol. 3A, 12.12.4, "Programming the PAT"). */
void paging_init_ap(void)
{
	if (cpu_has(X86_FEATURE_PAT))
		wrmsr(MSR_IA32_PAT, PAT_VALUE);
}

void *alloc_stack(size_t size)
{
	char *base = alloc_pages(size / PAGE_SIZE + 1);

	if (!base)
		return NULL;
	if (paging_unmap_page((unsigned long)base)) {
		free_pages(base, size / PAGE_SIZE + 1);
		return NULL;
	}
	return base + PAGE_SIZE;
}
