# SPDX-License-Identifier: MIT
objs-y += lib/bitmap.o lib/llist.o
