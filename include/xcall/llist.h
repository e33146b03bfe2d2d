/* SPDX-License-Identifier: MIT */
/*
 * Lock-less NULL-terminated singly linked list, the queue under every
 * cross-CPU call.
 *
 * Concurrency contract. Several producers and one consumer at a time:
 *
 *	      | add | del_first | del_all
 *	add   |  -  |     -     |    -
 *	del_1 |     |     L     |    L
 *	del_a |     |           |    -
 *
 * A '-' means the two may run at once on different CPUs without a lock;
 * 'L' means they need one. llist_add() and llist_add_batch() may run on any
 * number of CPUs at once, against each other and against llist_del_all().
 * llist_del_all() may run on several CPUs at once. llist_del_first() needs
 * a lock against llist_del_first() and llist_del_all() alike (the ABA
 * problem: between its read of the first node's ->next and its cmpxchg,
 * the other remover may take that node, free or re-add it, and the
 * cmpxchg then installs a stale ->next), but may run against adders. In
 * xcall each CPU's call queue has exactly one consumer, its owner, which
 * only ever takes the whole list.
 *
 * The list is a stack: llist_del_all() returns the newest entry first; use
 * llist_reverse_order() for the order in which entries were added.
 *
 * Ordering: llist_add() is a full barrier (a locked cmpxchg), so every
 * store the producer made to the node before adding it is visible to the
 * consumer that takes it with llist_del_all() (an xchg, also a full
 * barrier).
 *
 * Every access to ->first outside init is atomic (atomic_read, cmpxchg,
 * xchg), never a plain or volatile one: the head is written by other CPUs
 * at any time, and a plain read racing with those writes is a data race
 * in the C memory model (and a ThreadSanitizer report on the host), even
 * where x86 would tear nothing.
 */
#ifndef XCALL_LLIST_H
#define XCALL_LLIST_H

#include <xcall/atomic.h>
#include <xcall/compiler.h>

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

#define LLIST_HEAD_INIT(name)	{ NULL }

/**
 * init_llist_head() - make a list empty
 * @list: the list
 *
 * Context: before the list is shared, or when no other CPU can reach it.
 */
static inline void init_llist_head(struct llist_head *list)
{
	WRITE_ONCE(list->first, NULL);
}

#define llist_entry(ptr, type, member)	container_of(ptr, type, member)

/*
 * The entry holding @node, or NULL for the end of the chain. @node is
 * evaluated once: the iterators below are written with a call such as
 * llist_del_all() as their @node, and a second evaluation would take the
 * (now empty) list again and turn NULL into a bogus entry pointer.
 */
#define llist_entry_or_null(node, type, member) ({			\
	struct llist_node *__llist_eon = (node);			\
	__llist_eon ? llist_entry(__llist_eon, type, member) : NULL;	\
})

#define llist_for_each(pos, node) \
	for ((pos) = (node); (pos); (pos) = (pos)->next)

/* The _safe iterators read the next entry before running the body, which
 * may therefore free or re-queue the current one. */
#define llist_for_each_safe(pos, n, node) \
	for ((pos) = (node); (pos) && ((n) = (pos)->next, true); (pos) = (n))

#define llist_for_each_entry(pos, node, member)				\
	for ((pos) = llist_entry_or_null((node), __typeof__(*(pos)), member); \
	     (pos);							\
	     (pos) = llist_entry_or_null((pos)->member.next,		\
					 __typeof__(*(pos)), member))

#define llist_for_each_entry_safe(pos, n, node, member)			\
	for ((pos) = llist_entry_or_null((node), __typeof__(*(pos)), member); \
	     (pos) && ((n) = llist_entry_or_null((pos)->member.next,	\
					__typeof__(*(pos)), member), true); \
	     (pos) = (n))

/**
 * llist_empty() - is the list empty?
 * @head: the list
 *
 * A snapshot: by the time the caller acts on it, an adder may have changed
 * it. Only the consumer may trust "not empty".
 *
 * Context: any; lock-free.
 * Return: true when the list had no entry at the read.
 */
static inline bool llist_empty(const struct llist_head *head)
{
	return atomic_read(&head->first) == NULL;
}

/**
 * llist_next() - the entry after @node in a chain
 * @node: an entry of a chain taken off a list
 *
 * Context: the chain belongs to the caller (taken with llist_del_all()).
 * Return: the next entry, or NULL after the last.
 */
static inline struct llist_node *llist_next(struct llist_node *node)
{
	return node->next;
}

/**
 * llist_add_batch() - add a chain of entries in one step
 * @new_first: first entry of the chain
 * @new_last: last entry of the chain
 * @head: the list
 *
 * Context: any; lock-free, may run against any other add and del_all.
 * Return: true when the list was empty before the add.
 */
static inline bool llist_add_batch(struct llist_node *new_first,
				   struct llist_node *new_last,
				   struct llist_head *head)
{
	/* A relaxed load is enough: @first is only compared, never
	 * dereferenced, and a stale value just fails the cmpxchg. */
	struct llist_node *first = atomic_read(&head->first);

	do {
		new_last->next = first;
	} while (!try_cmpxchg(&head->first, &first, new_first));

	return first == NULL;
}

/**
 * llist_add() - add one entry
 * @new: the entry
 * @head: the list
 *
 * Context: any; lock-free.
 * Return: true when the list was empty before the add, which tells a
 * producer that it, and no one else, must wake the consumer.
 */
static inline bool llist_add(struct llist_node *new, struct llist_head *head)
{
	return llist_add_batch(new, new, head);
}

/**
 * llist_del_all() - take every entry
 * @head: the list
 *
 * Context: any; lock-free, may run against adds and other del_all.
 * Return: the entries, newest first, or NULL.
 */
static inline struct llist_node *llist_del_all(struct llist_head *head)
{
	return xchg(&head->first, NULL);
}

/**
 * llist_del_first() - take the newest entry
 * @head: the list
 *
 * Context: needs a lock against other llist_del_first() and against
 * llist_del_all() calls on @head; may run against adders.
 * Return: the entry, or NULL when the list is empty.
 */
static inline struct llist_node *llist_del_first(struct llist_head *head)
{
	/* Acquire: ->next of the entry is read below, and must be the value
	 * its producer stored before the cmpxchg that published it. A failed
	 * try_cmpxchg reloads @entry fully ordered. */
	struct llist_node *entry = smp_load_acquire(&head->first);
	struct llist_node *next;

	do {
		if (entry == NULL)
			return NULL;
		next = READ_ONCE(entry->next);
	} while (!try_cmpxchg(&head->first, &entry, next));

	return entry;
}

/**
 * llist_reverse_order() - reverse a chain taken off a list
 * @head: the first entry of the chain
 *
 * Context: any; the chain belongs to the caller.
 * Return: the new first entry (the old last).
 */
struct llist_node *llist_reverse_order(struct llist_node *head);

#endif /* XCALL_LLIST_H */
