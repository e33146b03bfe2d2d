// SPDX-License-Identifier: MIT
/* Placeholder until the framebuffer console lands. */
#include <xcall/fbcon.h>

void fbcon_init(const struct mb2_info *mbi)
{
}
