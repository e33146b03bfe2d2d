// SPDX-License-Identifier: MIT
/*
 * Kernel options: match each word of the command line against the
 * options the subsystems defined (xcall/options.h), check its value, and
 * store it. Tokenising and number parsing live in lib/cmdline.c.
 */
#include <xcall/cmdline.h>
#include <xcall/errno.h>
#include <xcall/options.h>
#include <xcall/printk.h>
#include <xcall/string.h>

extern const struct kernel_option __kernel_options_start[];
extern const struct kernel_option __kernel_options_end[];

/* Words of the boot's command lines refused: written by the boot CPU
 * before the APs start, read at the end of the run. */
static unsigned int nr_refused;

static const struct kernel_option *find_option(const char *key, size_t len)
{
	const struct kernel_option *o;

	/* cppcheck-suppress comparePointers ; linker.ld sets both symbols
	 * around .kernel_options: they bound one array of options. */
	for (o = __kernel_options_start; o < __kernel_options_end; o++)
		if (strlen(o->name) == len && !strncmp(o->name, key, len))
			return o;
	return NULL;
}

static int apply_uint(const struct kernel_option *o,
		      const struct cmdline_token *t, const char *source)
{
	u64 v;

	if (!t->value || parse_u64(t->value, t->value_len, &v) ||
	    v < o->min || v > o->max) {
		pr_err("options: %s: bad value '%.*s' for %s= (expected %llu..%llu), keeping %u\n",
		       source, (int)t->value_len, t->value ? t->value : "",
		       o->name, (unsigned long long)o->min,
		       (unsigned long long)o->max, *(unsigned int *)o->var);
		return -EINVAL;
	}
	*(unsigned int *)o->var = (unsigned int)v;
	return 0;
}

static int apply_choice(const struct kernel_option *o,
			const struct cmdline_token *t, const char *source)
{
	for (unsigned int i = 0; t->value && o->choices[i]; i++) {
		if (strlen(o->choices[i]) == t->value_len &&
		    !strncmp(o->choices[i], t->value, t->value_len)) {
			*(unsigned int *)o->var = i;
			return 0;
		}
	}
	pr_err("options: %s: bad value '%.*s' for %s=, keeping '%s'; one of:",
	       source, (int)t->value_len, t->value ? t->value : "", o->name,
	       o->choices[*(unsigned int *)o->var]);
	for (unsigned int i = 0; o->choices[i]; i++)
		pr_err("options:   %s=%s\n", o->name, o->choices[i]);
	return -EINVAL;
}

static int apply(const struct kernel_option *o, const struct cmdline_token *t,
		 const char *source)
{
	switch (o->type) {
	case OPTION_FLAG:
		if (t->value) {
			pr_err("options: %s: %s takes no value, ignoring '%.*s'\n",
			       source, o->name, (int)(t->key_len + 1 + t->value_len),
			       t->key);
			return -EINVAL;
		}
		*(bool *)o->var = true;
		return 0;
	case OPTION_UINT:
		return apply_uint(o, t, source);
	case OPTION_CHOICE:
		return apply_choice(o, t, source);
	case OPTION_CUSTOM:
		if (o->parse(t->value, t->value_len)) {
			pr_err("options: %s: bad value '%.*s' for %s, ignored\n",
			       source, (int)t->value_len, t->value ? t->value : "",
			       o->name);
			return -EINVAL;
		}
		return 0;
	}
	return -EINVAL;
}

unsigned int options_parse(const char *cmdline, const char *source)
{
	struct cmdline_token t;
	unsigned int refused = 0;
	const char *pos = cmdline ? cmdline : "";

	while (cmdline_next(&pos, &t)) {
		const struct kernel_option *o = find_option(t.key, t.key_len);

		/* GRUB may pass the kernel's path as the first word. */
		if (t.key[0] == '/')
			continue;
		if (!o) {
			pr_warn("options: %s: unknown option '%.*s' ignored\n",
				source, (int)t.key_len, t.key);
			refused++;
			continue;
		}
		if (apply(o, &t, source))
			refused++;
	}
	return refused;
}

void options_note_refused(unsigned int n)
{
	nr_refused += n;
}

unsigned int options_refused(void)
{
	return READ_ONCE(nr_refused);
}
