// SPDX-License-Identifier: MIT
/*
 * Concurrency tests for include/xcall/llist.h under ThreadSanitizer.
 *
 * Producer threads add numbered nodes to one shared list while consumer
 * threads take it whole with llist_del_all() and put each batch back in
 * insertion order with llist_reverse_order(). The cases check what the
 * contract in llist.h promises: no node lost or doubled, each producer's
 * nodes seen in the order it added them, and llist_add() returning true
 * exactly once per batch a consumer takes.
 *
 * TSan checks the rest: any data race in the list code (a plain access to
 * the head racing with the atomics, a node read before its producer's
 * stores are visible) is a report, and __tsan_default_options() below
 * makes a report end the process with a non-zero status, so a race fails
 * the run even when nobody set TSAN_OPTIONS.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xcall/llist.h>

#include "check.h"

/* Read by the TSan runtime at start-up; TSAN_OPTIONS still overrides. */
const char *__tsan_default_options(void);
const char *__tsan_default_options(void)
{
	return "halt_on_error=1:exitcode=66";
}

#define NR_PRODUCERS		4
#define NODES_PER_PRODUCER	200000
#define NR_CONSUMERS_MANY	3
/* Nodes per llist_add_batch() chain in the batch case. */
#define CHAIN_LEN		3
#define CHAINS_PER_PRODUCER	50000
/* Producers yield now and then, so that even on a two-CPU host the
 * consumers run between adds and take many small batches instead of a
 * few huge ones: the interesting interleavings are add-vs-take. */
#define PRODUCER_YIELD_EVERY	64

struct item {
	struct llist_node node;
	unsigned int producer;
	unsigned int seq;
	unsigned int taken;	/* times a consumer saw it, atomic */
};

struct consumer;

struct run {
	struct llist_head head;
	struct item *items[NR_PRODUCERS];
	unsigned int nr_nodes;		/* per producer */
	unsigned int chain_len;		/* 1: llist_add(); more: add_batch */
	unsigned long add_was_empty;	/* summed over producers, atomic */
	int producers_done;		/* release/acquire flag */
	pthread_barrier_t start;
};

struct consumer {
	struct run *run;
	pthread_t thread;
	unsigned long nonempty_takes;
	unsigned long nodes_seen;
	/* Last sequence number seen from each producer, plus one. */
	unsigned int next_seq[NR_PRODUCERS];
	unsigned long order_errors;
	unsigned long chain_errors;
	/* The first order error, for the log. */
	unsigned int bad_producer, bad_seq, bad_expected;
};

struct producer {
	struct run *run;
	pthread_t thread;
	unsigned int id;
};

static void *producer_fn(void *arg)
{
	struct producer *p = arg;
	struct run *run = p->run;
	struct item *items = run->items[p->id];
	unsigned long was_empty = 0;

	pthread_barrier_wait(&run->start);
	for (unsigned int i = 0; i < run->nr_nodes; i += run->chain_len) {
		unsigned int last = i + run->chain_len - 1;

		/* Link the chain in list order (newest first) so that after
		 * llist_reverse_order() it reads i, i+1, ... like single adds. */
		for (unsigned int k = last; k > i; k--)
			items[k].node.next = &items[k - 1].node;
		if (llist_add_batch(&items[last].node, &items[i].node, &run->head))
			was_empty++;
		if ((i / run->chain_len) % PRODUCER_YIELD_EVERY == 0)
			sched_yield();
	}
	__atomic_fetch_add(&run->add_was_empty, was_empty, __ATOMIC_RELAXED);
	return NULL;
}

/* Check one node against the consumer's per-producer order. */
static void consume_item(struct consumer *c, struct item *it)
{
	unsigned int p = it->producer;

	__atomic_fetch_add(&it->taken, 1, __ATOMIC_RELAXED);
	c->nodes_seen++;
	/*
	 * One consumer's llist_del_all() calls are ordered on the head:
	 * every node of a later batch was added after the earlier batch
	 * was taken. A producer's adds are in program order, so its
	 * sequence numbers must rise across everything one consumer sees.
	 */
	if (p >= NR_PRODUCERS || it->seq < c->next_seq[p]) {
		if (!c->order_errors++) {
			c->bad_producer = p;
			c->bad_seq = it->seq;
			c->bad_expected = p < NR_PRODUCERS ? c->next_seq[p] : 0;
		}
		return;
	}
	c->next_seq[p] = it->seq + 1;
}

static void *consumer_fn(void *arg)
{
	struct consumer *c = arg;
	struct run *run = c->run;

	pthread_barrier_wait(&run->start);
	for (;;) {
		/* Read the flag before taking the list: once it is set,
		 * every add has happened, so an empty take after it is the
		 * end. (Pairs with the release in run_case().) */
		bool done = __atomic_load_n(&run->producers_done, __ATOMIC_ACQUIRE);
		struct llist_node *list = llist_del_all(&run->head);
		struct item *it, *prev = NULL;

		if (!list) {
			if (done)
				break;
			sched_yield();
			continue;
		}
		c->nonempty_takes++;
		list = llist_reverse_order(list);
		llist_for_each_entry(it, list, node) {
			/* A chain from llist_add_batch() arrives whole: a
			 * node inside a chain follows its predecessor. */
			if (it->seq % run->chain_len != 0 &&
			    (!prev || prev->producer != it->producer ||
			     prev->seq + 1 != it->seq))
				c->chain_errors++;
			consume_item(c, it);
			prev = it;
		}
	}
	return NULL;
}

/* Run producers against @nr_consumers consumers and check the result. */
static void run_case(struct ktest *t, unsigned int nr_nodes,
		     unsigned int chain_len, unsigned int nr_consumers)
{
	struct run run = { .nr_nodes = nr_nodes, .chain_len = chain_len };
	struct producer prod[NR_PRODUCERS];
	struct consumer cons[NR_CONSUMERS_MANY];
	unsigned long takes = 0, seen = 0, order_errors = 0, chain_errors = 0;
	unsigned long not_once = 0;

	if (!KTEST_EXPECT_TRUE(t, nr_consumers <= NR_CONSUMERS_MANY && nr_nodes % chain_len == 0))
		return;
	init_llist_head(&run.head);
	pthread_barrier_init(&run.start, NULL, NR_PRODUCERS + nr_consumers);
	for (unsigned int p = 0; p < NR_PRODUCERS; p++) {
		run.items[p] = calloc(nr_nodes, sizeof(struct item));
		if (!run.items[p])
			abort();
		for (unsigned int i = 0; i < nr_nodes; i++) {
			run.items[p][i].producer = p;
			run.items[p][i].seq = i;
		}
	}

	memset(cons, 0, sizeof(cons));
	for (unsigned int c = 0; c < nr_consumers; c++) {
		cons[c].run = &run;
		/* A missing thread would leave the others at the barrier. */
		if (pthread_create(&cons[c].thread, NULL, consumer_fn, &cons[c]))
			abort();
	}
	for (unsigned int p = 0; p < NR_PRODUCERS; p++) {
		prod[p].run = &run;
		prod[p].id = p;
		if (pthread_create(&prod[p].thread, NULL, producer_fn, &prod[p]))
			abort();
	}
	for (unsigned int p = 0; p < NR_PRODUCERS; p++)
		pthread_join(prod[p].thread, NULL);
	__atomic_store_n(&run.producers_done, 1, __ATOMIC_RELEASE);
	for (unsigned int c = 0; c < nr_consumers; c++)
		pthread_join(cons[c].thread, NULL);

	for (unsigned int c = 0; c < nr_consumers; c++) {
		takes += cons[c].nonempty_takes;
		seen += cons[c].nodes_seen;
		order_errors += cons[c].order_errors;
		chain_errors += cons[c].chain_errors;
		if (cons[c].order_errors)
			printf("    # consumer %u: producer %u seq %u after %u\n", c,
			       cons[c].bad_producer, cons[c].bad_seq,
			       cons[c].bad_expected - 1);
	}
	for (unsigned int p = 0; p < NR_PRODUCERS; p++)
		for (unsigned int i = 0; i < nr_nodes; i++)
			not_once += run.items[p][i].taken != 1;

	KTEST_EXPECT_TRUE(t, llist_empty(&run.head));
	KTEST_EXPECT_EQ(t, seen, (unsigned long)NR_PRODUCERS * nr_nodes);
	KTEST_EXPECT_EQ(t, not_once, 0);
	KTEST_EXPECT_EQ(t, order_errors, 0);
	KTEST_EXPECT_EQ(t, chain_errors, 0);
	/*
	 * Every operation on the head is one atomic step, so they form one
	 * sequence. In it, an add that finds the list empty turns it
	 * non-empty and a del_all that finds it non-empty turns it empty;
	 * nothing else changes emptiness. The two kinds therefore
	 * alternate, starting from empty, and the list ends empty (the
	 * last take after producers_done found nothing). Hence exactly one
	 * "was empty" add per non-empty take.
	 */
	KTEST_EXPECT_EQ(t, run.add_was_empty, takes);
	printf("    # %u consumer(s): %lu batches, %.1f nodes per batch\n",
	       nr_consumers, takes, takes ? (double)seen / takes : 0.0);

	for (unsigned int p = 0; p < NR_PRODUCERS; p++)
		free(run.items[p]);
	pthread_barrier_destroy(&run.start);
}

static void built_with_thread_sanitizer(struct ktest *t)
{
	bool tsan = false;

#if defined(__SANITIZE_THREAD__)
	tsan = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
	tsan = true;
#endif
#endif
	/* Without TSan the cases below still check values, but a race in
	 * the list code would go unseen: that is a broken build. */
	KTEST_EXPECT_TRUE(t, tsan);
}

static void one_consumer_sees_each_node_once_in_producer_order(struct ktest *t)
{
	run_case(t, NODES_PER_PRODUCER, 1, 1);
}

static void many_consumers_split_nodes_without_loss_or_doubling(struct ktest *t)
{
	run_case(t, NODES_PER_PRODUCER / 2, 1, NR_CONSUMERS_MANY);
}

static void add_batch_chains_arrive_whole_and_in_order(struct ktest *t)
{
	run_case(t, CHAIN_LEN * CHAINS_PER_PRODUCER, CHAIN_LEN, 2);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(built_with_thread_sanitizer),
	KTEST_CASE(one_consumer_sees_each_node_once_in_producer_order),
	KTEST_CASE(many_consumers_split_nodes_without_loss_or_doubling),
	KTEST_CASE(add_batch_chains_arrive_whole_and_in_order),
};

int main(void)
{
	return host_main("llist_concurrent", cases, ARRAY_SIZE(cases));
}
