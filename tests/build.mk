# SPDX-License-Identifier: MIT
objs-y += tests/ktest.o
