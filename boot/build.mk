# SPDX-License-Identifier: MIT
objs-y += boot/head.o
objs-y += boot/trampoline.o
