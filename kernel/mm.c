// SPDX-License-Identifier: MIT
/*
 * The kernel's physical memory: one frame allocator (lib/frame_alloc.c)
 * fed from the Multiboot2 memory map, minus what is in use at boot. Owns
 * the allocator instance and its lock; the page tables are arch's.
 */
#include <xcall/frame_alloc.h>
#include <xcall/mm.h>
#include <xcall/panic.h>
#include <xcall/printk.h>
#include <xcall/spinlock.h>
#include <xcall/string.h>

static struct frame_alloc frames;
static spinlock_t frames_lock = SPINLOCK_INIT;
static u64 top_of_ram;
/* The memory map as the loader gave it, for mm_map_usable(): the boot
 * information's copy is parsed once, in start_kernel()'s frame. About
 * 3 KiB. */
static struct mb2_mmap_entry boot_map[MB2_MAX_MMAP];
static size_t boot_map_entries;

extern const char __kernel_start[], __kernel_end[];

/* Page 0 holds the real-mode interrupt table and the BIOS data area;
 * nothing of ours goes there, and leaving it unmapped catches NULL. */
#define LOW_RESERVED_END	PAGE_SIZE

static void reserve(u64 start, u64 len, const char *what)
{
	if (frame_alloc_reserve(&frames, start, len))
		pr_warn("mm: range table full while reserving %s\n", what);
}

void mm_init(const struct mb2_info *mbi, const void *info)
{
	u64 total = 0;

	frame_alloc_init(&frames);
	boot_map_entries = min(mbi->nr_mmap, (size_t)MB2_MAX_MMAP);
	memcpy(boot_map, mbi->mmap, boot_map_entries * sizeof(boot_map[0]));
	for (size_t i = 0; i < mbi->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &mbi->mmap[i];

		if (e->type != MB2_MEM_AVAILABLE || e->len == 0)
			continue;
		if (e->base + e->len < e->base) {
			pr_warn("mm: memory map entry 0x%llx+0x%llx wraps around, ignored\n",
				(unsigned long long)e->base, (unsigned long long)e->len);
			continue;
		}
		if (frame_alloc_add(&frames, e->base, e->len))
			pr_warn("mm: range table full, lost 0x%llx-0x%llx\n",
				(unsigned long long)e->base,
				(unsigned long long)(e->base + e->len));
		if (e->base + e->len > top_of_ram)
			top_of_ram = e->base + e->len;
		total += e->len;
	}
	if (mbi->nr_mmap_dropped)
		pr_warn("mm: %zu memory map entries beyond %d ignored\n",
			mbi->nr_mmap_dropped, MB2_MAX_MMAP);

	reserve(0, LOW_RESERVED_END, "page 0");
	reserve((u64)__kernel_start, (u64)__kernel_end - (u64)__kernel_start, "the kernel");
	/* The information block stays: the command line and module names
	 * point into it. So do the modules (the font). */
	reserve((u64)info, mbi->total_size, "the boot information");
	for (size_t i = 0; i < mbi->nr_modules; i++)
		reserve(mbi->modules[i].start,
			mbi->modules[i].end - mbi->modules[i].start, "a module");

	if (frames.free_bytes == 0)
		panic("mm: the memory map has no usable memory outside the kernel");
	pr_info("mm: %llu MiB usable, %llu MiB free, top of RAM 0x%llx\n",
		(unsigned long long)(total >> 20),
		(unsigned long long)(frames.free_bytes >> 20),
		(unsigned long long)top_of_ram);
}

static u64 get_frames(size_t nr, u64 limit)
{
	unsigned long flags;
	u64 pa;

	spin_lock_irqsave(&frames_lock, flags);
	pa = frame_alloc_get(&frames, nr, PAGE_SIZE, limit);

	spin_unlock_irqrestore(&frames_lock, flags);
	return pa;
}

void *alloc_pages(size_t nr)
{
	u64 pa = get_frames(nr, MM_ALLOC_LIMIT);

	if (!pa)
		return NULL;
	memset((void *)pa, 0, nr * PAGE_SIZE);
	return (void *)pa;
}

void free_pages(void *addr, size_t nr)
{
	unsigned long flags;
	int err;

	spin_lock_irqsave(&frames_lock, flags);
	err = frame_alloc_put(&frames, (u64)addr, nr);

	spin_unlock_irqrestore(&frames_lock, flags);
	WARN_ON(err);
}

bool mm_map_usable(phys_addr_t base, u64 len)
{
	if (!len || base + len < base)
		return false;
	for (size_t i = 0; i < boot_map_entries; i++) {
		const struct mb2_mmap_entry *e = &boot_map[i];

		if (e->type == MB2_MEM_AVAILABLE && e->base + e->len >= e->base &&
		    base >= e->base && base + len <= e->base + e->len)
			return true;
	}
	return false;
}

phys_addr_t alloc_low_page(phys_addr_t min, phys_addr_t limit)
{
	u64 pa;

	if (limit > MM_LOW_LIMIT || limit < min + PAGE_SIZE)
		return 0;
	/* Top-down: the highest free page below @limit. If even that one
	 * starts below @min, no free page lies in the window. */
	pa = get_frames(1, limit);
	if (pa && pa < min) {
		free_pages((void *)pa, 1);
		return 0;
	}
	return pa;
}

u64 mm_free_bytes(void)
{
	return READ_ONCE(frames.free_bytes);
}
