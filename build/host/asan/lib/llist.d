build/host/asan/lib/llist.o: lib/llist.c include/xcall/llist.h \
 include/xcall/atomic.h include/xcall/compiler.h include/xcall/types.h
include/xcall/llist.h:
include/xcall/atomic.h:
include/xcall/compiler.h:
include/xcall/types.h:
