// SPDX-License-Identifier: MIT
/*
 * Single-threaded tests for include/xcall/llist.h and lib/llist.c: the
 * return values, the order each operation gives and the iterators. The
 * concurrent behaviour is tested under ThreadSanitizer in tsan_llist.c.
 */
#include <stdlib.h>

#include <xcall/llist.h>

#include "check.h"

#define NR_ITEMS	8

struct item {
	int value;
	/* Not the first member, so container_of() really subtracts. */
	struct llist_node node;
};

static void init_items(struct item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		items[i].value = (int)i;
		items[i].node.next = NULL;
	}
}

/* Values of a chain, in chain order, into @out; returns how many. */
static size_t chain_values(struct llist_node *first, int *out, size_t max)
{
	struct llist_node *pos;
	size_t n = 0;

	llist_for_each(pos, first) {
		if (n < max)
			out[n] = llist_entry(pos, struct item, node)->value;
		n++;
	}
	return n;
}

static void add_returns_true_only_when_list_was_empty(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct item items[3];

	init_items(items, ARRAY_SIZE(items));
	KTEST_EXPECT_TRUE(t, llist_empty(&head));
	KTEST_EXPECT_TRUE(t, llist_add(&items[0].node, &head));
	KTEST_EXPECT_TRUE(t, !llist_empty(&head));
	KTEST_EXPECT_TRUE(t, !llist_add(&items[1].node, &head));
	KTEST_EXPECT_TRUE(t, !llist_add(&items[2].node, &head));

	/* Emptied, the next add is "first" again. */
	KTEST_EXPECT_TRUE(t, llist_del_all(&head) != NULL);
	KTEST_EXPECT_TRUE(t, llist_empty(&head));
	KTEST_EXPECT_TRUE(t, llist_add(&items[0].node, &head));
}

static void add_batch_links_chain_in_front(struct ktest *t)
{
	struct llist_head head;
	struct item items[5];
	int got[5];
	const int want[] = { 4, 3, 2, 1, 0 };

	init_llist_head(&head);
	init_items(items, ARRAY_SIZE(items));
	KTEST_EXPECT_TRUE(t, llist_add(&items[0].node, &head));
	KTEST_EXPECT_TRUE(t, !llist_add(&items[1].node, &head));
	/* A prepared chain 4 -> 3 -> 2, added in one step. */
	items[4].node.next = &items[3].node;
	items[3].node.next = &items[2].node;
	KTEST_EXPECT_TRUE(t, !llist_add_batch(&items[4].node, &items[2].node, &head));
	if (KTEST_EXPECT_EQ(t, chain_values(llist_del_all(&head), got, 5), 5))
		KTEST_EXPECT_MEMEQ(t, got, want, sizeof(want));

	/* On an empty list add_batch reports it, and the chain's tail is
	 * terminated by the old (NULL) head. */
	items[1].node.next = &items[0].node;
	items[0].node.next = &items[4].node;	/* stale, must be replaced */
	KTEST_EXPECT_TRUE(t, llist_add_batch(&items[1].node, &items[0].node, &head));
	KTEST_EXPECT_EQ(t, chain_values(llist_del_all(&head), got, 5), 2);
}

static void del_all_returns_newest_first(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct item items[NR_ITEMS];
	int got[NR_ITEMS];
	bool ok = true;

	init_items(items, NR_ITEMS);
	for (int i = 0; i < NR_ITEMS; i++)
		llist_add(&items[i].node, &head);
	if (!KTEST_EXPECT_EQ(t, chain_values(llist_del_all(&head), got, NR_ITEMS), NR_ITEMS))
		return;
	for (int i = 0; i < NR_ITEMS; i++)
		ok &= got[i] == NR_ITEMS - 1 - i;
	KTEST_EXPECT_TRUE(t, ok);
	KTEST_EXPECT_TRUE(t, llist_empty(&head));
	KTEST_EXPECT_TRUE(t, llist_del_all(&head) == NULL);
}

static void reverse_order_restores_insertion_order(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct item items[NR_ITEMS];
	int got[NR_ITEMS];
	bool ok = true;
	struct llist_node *chain;

	init_items(items, NR_ITEMS);
	for (int i = 0; i < NR_ITEMS; i++)
		llist_add(&items[i].node, &head);
	chain = llist_reverse_order(llist_del_all(&head));
	KTEST_EXPECT_TRUE(t, chain == &items[0].node);
	if (!KTEST_EXPECT_EQ(t, chain_values(chain, got, NR_ITEMS), NR_ITEMS))
		return;
	for (int i = 0; i < NR_ITEMS; i++)
		ok &= got[i] == i;
	KTEST_EXPECT_TRUE(t, ok);
	KTEST_EXPECT_TRUE(t, items[NR_ITEMS - 1].node.next == NULL);

	/* Edge cases: nothing, and one node. */
	KTEST_EXPECT_TRUE(t, llist_reverse_order(NULL) == NULL);
	items[0].node.next = NULL;
	KTEST_EXPECT_TRUE(t, llist_reverse_order(&items[0].node) == &items[0].node);
	KTEST_EXPECT_TRUE(t, items[0].node.next == NULL);
}

static void del_first_takes_newest_and_leaves_rest(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct item items[3];
	int got[3];

	init_items(items, ARRAY_SIZE(items));
	KTEST_EXPECT_TRUE(t, llist_del_first(&head) == NULL);
	for (int i = 0; i < 3; i++)
		llist_add(&items[i].node, &head);
	KTEST_EXPECT_TRUE(t, llist_del_first(&head) == &items[2].node);
	if (KTEST_EXPECT_EQ(t, chain_values(head.first, got, 3), 2)) {
		KTEST_EXPECT_EQ(t, got[0], 1);
		KTEST_EXPECT_EQ(t, got[1], 0);
	}
	KTEST_EXPECT_TRUE(t, llist_del_first(&head) == &items[1].node);
	KTEST_EXPECT_TRUE(t, llist_del_first(&head) == &items[0].node);
	KTEST_EXPECT_TRUE(t, llist_empty(&head));
	KTEST_EXPECT_TRUE(t, llist_del_first(&head) == NULL);
	/* The list really is empty again: the next add is the first. */
	KTEST_EXPECT_TRUE(t, llist_add(&items[1].node, &head));
}

static void next_and_entry_helpers_follow_chain(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct item items[2];
	struct llist_node *first;

	init_items(items, ARRAY_SIZE(items));
	llist_add(&items[0].node, &head);
	llist_add(&items[1].node, &head);
	first = llist_del_all(&head);
	KTEST_EXPECT_TRUE(t, llist_entry(first, struct item, node) == &items[1]);
	KTEST_EXPECT_TRUE(t, llist_next(first) == &items[0].node);
	KTEST_EXPECT_TRUE(t, llist_next(llist_next(first)) == NULL);
	KTEST_EXPECT_TRUE(t, llist_entry_or_null(llist_next(llist_next(first)),
				     struct item, node) == NULL);
}

static void for_each_entry_visits_every_entry_in_chain_order(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct item items[NR_ITEMS], *pos;
	int expect = 0, visits = 0;

	init_items(items, NR_ITEMS);
	for (int i = NR_ITEMS - 1; i >= 0; i--)
		llist_add(&items[i].node, &head);
	/* Newest first is item 0, since items were added in reverse. The
	 * list argument is a call: the iterator must evaluate it once. */
	llist_for_each_entry(pos, llist_del_all(&head), node) {
		KTEST_EXPECT_EQ(t, pos->value, expect);
		expect++;
		visits++;
	}
	KTEST_EXPECT_EQ(t, visits, NR_ITEMS);
	KTEST_EXPECT_TRUE(t, pos == NULL);
}

static void iteration_over_null_runs_no_body(struct ktest *t)
{
	struct llist_node *pos, *n;
	struct item *ipos, *in;
	int visits = 0;

	llist_for_each(pos, NULL)
		visits++;
	llist_for_each_safe(pos, n, NULL)
		visits++;
	llist_for_each_entry(ipos, (struct llist_node *)NULL, node)
		visits++;
	llist_for_each_entry_safe(ipos, in, (struct llist_node *)NULL, node)
		visits++;
	KTEST_EXPECT_EQ(t, visits, 0);
	KTEST_EXPECT_TRUE(t, ipos == NULL);
}

static void for_each_entry_safe_allows_requeue_of_current(struct ktest *t)
{
	struct llist_head src = LLIST_HEAD_INIT(src), dst = LLIST_HEAD_INIT(dst);
	struct item items[NR_ITEMS], *pos, *n;
	int got[NR_ITEMS], visits = 0;
	bool ok = true;

	init_items(items, NR_ITEMS);
	for (int i = 0; i < NR_ITEMS; i++)
		llist_add(&items[i].node, &src);
	/* Re-adding rewrites pos->node.next; the safe iterator must have
	 * read it already, or the walk would jump into @dst. */
	llist_for_each_entry_safe(pos, n, llist_reverse_order(llist_del_all(&src)), node) {
		llist_add(&pos->node, &dst);
		visits++;
	}
	KTEST_EXPECT_EQ(t, visits, NR_ITEMS);
	/* dst now holds them newest first: NR_ITEMS-1 ... 0. */
	if (!KTEST_EXPECT_EQ(t, chain_values(llist_del_all(&dst), got, NR_ITEMS), NR_ITEMS))
		return;
	for (int i = 0; i < NR_ITEMS; i++)
		ok &= got[i] == NR_ITEMS - 1 - i;
	KTEST_EXPECT_TRUE(t, ok);
}

static void for_each_safe_allows_freeing_current(struct ktest *t)
{
	struct llist_head head = LLIST_HEAD_INIT(head);
	struct llist_node *pos, *n;
	int visits = 0;

	for (int i = 0; i < NR_ITEMS; i++) {
		struct item *it = malloc(sizeof(*it));

		if (!KTEST_EXPECT_TRUE(t, it != NULL))
			return;
		it->value = i;
		llist_add(&it->node, &head);
	}
	/* Under ASan, reading pos->next after the free would be caught. */
	llist_for_each_safe(pos, n, llist_del_all(&head)) {
		free(llist_entry(pos, struct item, node));
		visits++;
	}
	KTEST_EXPECT_EQ(t, visits, NR_ITEMS);
}

static const struct ktest_case cases[] = {
	KTEST_CASE(add_returns_true_only_when_list_was_empty),
	KTEST_CASE(add_batch_links_chain_in_front),
	KTEST_CASE(del_all_returns_newest_first),
	KTEST_CASE(reverse_order_restores_insertion_order),
	KTEST_CASE(del_first_takes_newest_and_leaves_rest),
	KTEST_CASE(next_and_entry_helpers_follow_chain),
	KTEST_CASE(for_each_entry_visits_every_entry_in_chain_order),
	KTEST_CASE(iteration_over_null_runs_no_body),
	KTEST_CASE(for_each_entry_safe_allows_requeue_of_current),
	KTEST_CASE(for_each_safe_allows_freeing_current),
};

int main(void)
{
	return host_main("llist", cases, ARRAY_SIZE(cases));
}
