build/host/test_tmp: tests/host/check.c tests/host/check.h
tests/host/check.h:
