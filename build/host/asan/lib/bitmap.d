build/host/asan/lib/bitmap.o: lib/bitmap.c include/xcall/bitmap.h \
 include/xcall/atomic.h include/xcall/compiler.h include/xcall/types.h
include/xcall/bitmap.h:
include/xcall/atomic.h:
include/xcall/compiler.h:
include/xcall/types.h:
