// SPDX-License-Identifier: MIT
/*
 * The one llist operation too long to inline. The rest, and the
 * concurrency contract, are in include/xcall/llist.h.
 */
#include <xcall/llist.h>

struct llist_node *llist_reverse_order(struct llist_node *head)
{
	struct llist_node *new_head = NULL;

	while (head) {
		struct llist_node *next = head->next;

		head->next = new_head;
		new_head = head;
		head = next;
	}
	return new_head;
}
