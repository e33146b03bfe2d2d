// SPDX-License-Identifier: MIT
/*
 * llist on real CPUs: every CPU adds nodes to one list while this CPU
 * takes them off in batches. Every node must be taken exactly once, and
 * each producer's nodes in the order it added them. The host test
 * (tests/host/tsan_llist.c) proves the same under ThreadSanitizer; this
 * one runs on the memory model of the machine itself.
 */
#include <xcall/atomic.h>
#include <xcall/ktest.h>
#include <xcall/llist.h>
#include <xcall/mm.h>
#include <xcall/smp.h>
#include <xcall/smp_call_on_cpu.h>
#include <xcall/string.h>
#include <xcall/time.h>

#define NODES_PER_CPU		4096

struct test_node {
	struct llist_node node;
	u32 producer;
	u32 seq;
	u32 taken;
};

static struct llist_head shared = LLIST_HEAD_INIT(shared);
static struct test_node *nodes;		/* [nr_cpu_ids][NODES_PER_CPU] */
static unsigned int producers_done;
static unsigned int adds_found_empty;

static int produce(void *arg)
{
	unsigned int me = smp_processor_id();

	for (unsigned int i = 0; i < NODES_PER_CPU; i++) {
		struct test_node *n = &nodes[me * NODES_PER_CPU + i];

		n->producer = me;
		n->seq = i;
		if (llist_add(&n->node, &shared))
			atomic_inc(&adds_found_empty);
	}
	atomic_inc(&producers_done);
	return 0;
}

static void concurrent_adds_are_taken_once_in_order(struct ktest *t)
{
	size_t pages = DIV_ROUND_UP((size_t)nr_cpu_ids * NODES_PER_CPU *
				    sizeof(struct test_node), PAGE_SIZE);
	static unsigned int next_seq[NR_CPUS];
	static struct smp_call_on_cpu_struct work[NR_CPUS];
	static bool started[NR_CPUS];
	unsigned int me = smp_processor_id(), cpu, producers = 0;
	unsigned int taken = 0, batches = 0, order_errors = 0, doubles = 0;
	u64 start = ktime_get_ns();

	/* One CPU would add and take in turn: nothing concurrent to test. */
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second online CPU to add while this one takes");
		return;
	}
	nodes = alloc_pages(pages);
	if (!KTEST_EXPECT_TRUE(t, nodes != NULL))
		return;
	producers_done = 0;
	adds_found_empty = 0;
	memset(next_seq, 0, sizeof(next_seq));
	memset(started, 0, sizeof(started));
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		work[cpu] = (struct smp_call_on_cpu_struct){ .func = produce };
		started[cpu] = KTEST_EXPECT_EQ(t, smp_call_on_cpu_async(cpu, &work[cpu]), 0);
		producers += started[cpu];
	}

	while (ktime_get_ns() - start < KTEST_WAIT_NS) {
		bool last = atomic_read(&producers_done) == producers;
		struct llist_node *batch = llist_reverse_order(llist_del_all(&shared));
		struct test_node *n, *tmp;

		if (batch)
			batches++;
		llist_for_each_entry_safe(n, tmp, batch, node) {
			doubles += n->taken++;
			if (n->seq != next_seq[n->producer])
				order_errors++;
			next_seq[n->producer] = n->seq + 1;
			taken++;
		}
		if (last && llist_empty(&shared))
			break;
		cpu_relax();
	}
	for_each_online_cpu(cpu)
		if (started[cpu])
			KTEST_EXPECT_EQ(t, smp_call_on_cpu_wait(&work[cpu], KTEST_WAIT_NS), 0);

	KTEST_EXPECT_EQ(t, taken, producers * NODES_PER_CPU);
	KTEST_EXPECT_EQ(t, doubles, 0);
	KTEST_EXPECT_EQ(t, order_errors, 0);
	/* Every add that found the list empty started a batch the consumer
	 * took exactly once. */
	KTEST_EXPECT_EQ(t, adds_found_empty, batches);
	ktest_diag(t, "%u nodes from %u CPUs in %u batches", taken, producers, batches);
	free_pages(nodes, pages);
}

static void del_first_takes_newest(struct ktest *t)
{
	struct llist_head h = LLIST_HEAD_INIT(h);
	struct llist_node a, b;

	KTEST_EXPECT_TRUE(t, llist_add(&a, &h));
	KTEST_EXPECT_FALSE(t, llist_add(&b, &h));
	KTEST_EXPECT_TRUE(t, llist_del_first(&h) == &b);
	KTEST_EXPECT_TRUE(t, llist_del_first(&h) == &a);
	KTEST_EXPECT_TRUE(t, llist_del_first(&h) == NULL);
	KTEST_EXPECT_TRUE(t, llist_empty(&h));
}

static const struct ktest_case llist_cases[] = {
	KTEST_CASE(concurrent_adds_are_taken_once_in_order),
	KTEST_CASE(del_first_takes_newest),
};
KTEST_SUITE(llist, llist_cases);
