/* SPDX-License-Identifier: MIT */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

/** serial_init() - set up COM1 and register it as a console; boot CPU. */
void serial_init(void);

#endif /* ASM_SERIAL_H */
