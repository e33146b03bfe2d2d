/* SPDX-License-Identifier: MIT */
	.section .trampoline, "a"
