#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Self-tests of tools/kernel_doc.py on small canned sources: each rule is
shown catching what it must, and well-formed blocks are shown passing, so a
checker that silently accepts everything fails here.

Run: python3 tools/kernel_doc_test.py (or python3 -m unittest from tools/).
"""

import io
import os
import sys
import tempfile
import textwrap
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import kernel_doc  # noqa: E402

HDR = "include/xcall/t.h"
ASM = "arch/x86_64/include/asm/t.h"
SRC = "kernel/t.c"


def src(text):
    return textwrap.dedent(text).lstrip("\n")


def check(tree):
    return kernel_doc.check({p: src(t) for p, t in tree.items()})


def messages(findings):
    return [f"{f.line}: {f.message}" for f in findings]


GOOD_HEADER = """
    /* SPDX-License-Identifier: MIT */
    /**
     * frob_cpu() - frobnicate one CPU
     * @cpu: the CPU
     * @fn: called on it, with @info
     * @info: fn's argument
     *
     * Longer text.
     *
     * Context: any CPU, interrupts on.
     * Return: 0, or -ENXIO when @cpu is offline.
     */
    int frob_cpu(unsigned int cpu, void (*fn)(void *info), void *info);

    /**
     * frob_log() - print a frob line
     * @fmt: format
     * @...: its arguments
     *
     * Context: any.
     */
    void frob_log(const char *fmt, ...) __printf(1, 2);

    /**
     * frob_stop() - stop for good
     *
     * Context: boot CPU.
     */
    __noreturn void frob_stop(void);

    /**
     * frob_first() - the first entry
     * @tab: the table
     *
     * Context: any.
     * Return: the entry, or NULL.
     */
    static inline const struct frob *frob_first(const struct frob tab[])
    {
            return tab[0].next ? &tab[0] : NULL;
    }

    /**
     * struct frob - one frob
     * @next: link
     * @flags: FROB_*
     * @fn: the callback
     */
    struct frob {
            struct frob *next;
            unsigned int flags : 4;
            void (*fn)(void *);
    };

    /**
     * enum frob_state - where a frob is
     * @FROB_IDLE: not queued
     * @FROB_QUEUED: on a list
     */
    enum frob_state {
            FROB_IDLE,
            FROB_QUEUED = 3,
    };

    /**
     * FROB_INIT() - a frob for static storage
     * @fn: the callback
     */
    #define FROB_INIT(fn)	{ .fn = (fn) }

    /**
     * FROB_MAX - the most frobs a CPU holds
     */
    #define FROB_MAX	16

    /**
     * typedef frob_fn - what a frob calls
     */
    typedef void (*frob_fn)(void *info);

    /**
     * struct frob_pair - two frobs, through a typedef
     * @a: one
     * @b: the other
     */
    typedef struct frob_pair {
            struct frob *a, *b;
    } frob_pair_t;

    /**
     * DOC: frob ordering
     *
     * Free text about how frobs are ordered.
     */

    /***************************************************
     * A banner comment is not kernel-doc.
     ***************************************************/
"""


class GoodBlocks(unittest.TestCase):
    def test_good_header_has_no_finding(self):
        self.assertEqual(check({HDR: GOOD_HEADER}), [])

    def test_doc_above_definition_covers_the_prototype(self):
        tree = {
            HDR: "int frob(int a);\n",
            SRC: """
                /**
                 * frob() - frob it
                 * @a: what
                 *
                 * Context: any.
                 * Return: a.
                 */
                int frob(int a)
                {
                        return a;
                }
            """,
        }
        self.assertEqual(check(tree), [])

    def test_static_function_in_c_needs_no_context(self):
        tree = {SRC: """
            /**
             * helper() - help
             * @x: input
             *
             * Return: x + 1.
             */
            static int helper(int x)
            {
                    return x + 1;
            }
        """}
        self.assertEqual(check(tree), [])

    def test_strings_and_line_comments_are_not_comments(self):
        tree = {SRC: """
            static const char *s = "/** not a comment */";
            // /** nor this */
            static char c = '"';
        """}
        self.assertEqual(check(tree), [])

    def test_block_above_statement_expression_macro(self):
        tree = {HDR: """
            /**
             * frob_or_null() - the frob of @node
             * @node: the node
             * @member: its field
             */
            #define frob_or_null(node, member) ({			\\
                    struct frob *__f = (node);			\\
                    __f ? &__f->member : NULL;			\\
            })
        """}
        self.assertEqual(check(tree), [])

    def test_variadic_macro(self):
        tree = {HDR: """
            /**
             * frob_warn() - warn
             * @cond: when
             * @...: printk format and arguments
             */
            #define frob_warn(cond, ...) do { } while (0)
        """}
        self.assertEqual(check(tree), [])

    def test_inline_asm_body_parses(self):
        tree = {HDR: """
            /**
             * rd() - read it
             * @reg: the register
             *
             * Context: any.
             * Return: its value.
             */
            static inline unsigned long rd(unsigned int reg)
            {
                    unsigned long v;

                    __asm__ volatile("mov %1, %0" : "=r"(v) : "r"(reg) : "memory");
                    return v;
            }
            static inline unsigned long after(void);
        """}
        # after() is a static inline declared without doc: exactly one
        # finding, on its line, proves the asm body ended where it should.
        self.assertEqual(messages(check(tree)),
                         ["15: 'after()' has no kernel-doc block (above this "
                          "declaration or above its definition in a .c file)"])


class Coverage(unittest.TestCase):
    def test_prototype_without_doc(self):
        f = check({HDR: """
            /* not kernel-doc */
            int frob(int a);
        """})
        self.assertEqual(messages(f),
                         ["2: 'frob()' has no kernel-doc block (above this "
                          "declaration or above its definition in a .c file)"])

    def test_asm_header_prototype_without_doc(self):
        f = check({ASM: "void apic_frob(void);\n"})
        self.assertEqual([(x.path, x.line) for x in f], [(ASM, 1)])

    def test_static_inline_in_public_header_needs_doc(self):
        f = check({HDR: """
            static inline int frob(void)
            {
                    return 1;
            }
        """})
        self.assertEqual(len(f), 1)
        self.assertIn("'frob()' has no kernel-doc", f[0].message)

    def test_static_inline_in_asm_header_is_not_api(self):
        self.assertEqual(check({ASM: """
            static inline int frob(void)
            {
                    return 1;
            }
        """}), [])

    def test_undocumented_definition_does_not_cover(self):
        f = check({HDR: "int frob(int a);\n",
                   SRC: "int frob(int a)\n{\n\treturn a;\n}\n"})
        self.assertEqual([(x.path, x.line) for x in f], [(HDR, 1)])

    def test_extern_variables_and_macro_calls_need_no_doc(self):
        self.assertEqual(check({HDR: """
            extern unsigned int nr_frobs;
            DECLARE_PER_CPU(unsigned int, frob_count);
            typedef void (*frob_fn)(void *info);
            struct frob;
        """}), [])

    def test_c_files_are_not_held_to_coverage(self):
        self.assertEqual(check({SRC: "int frob(int a)\n{\n\treturn a;\n}\n"}),
                         [])


class Form(unittest.TestCase):
    def one(self, text, path=SRC):
        f = check({path: text})
        self.assertEqual(len(f), 1, messages(f))
        return f[0]

    def test_one_line_comment(self):
        f = self.one("""
            int x;
            /** frob() - frob. */
            static void frob(void)
            {
            }
        """)
        self.assertEqual(f.line, 2)
        self.assertIn("one-line '/** */' comment", f.message)

    def test_one_line_comment_covers_nothing_twice(self):
        # The header prototype reports the one-liner only, not also a
        # missing block.
        f = check({HDR: "/** frob() - frob. */\nvoid frob(void);\n"})
        self.assertEqual(messages(f), ["1: one-line '/** */' comment: write a "
                                       "kernel-doc block or use '/*'"])

    def test_text_on_the_opening_line(self):
        f = self.one("""
            /** frob() - frob
             */
            static void frob(void)
            {
            }
        """)
        self.assertEqual((f.line, f.message),
                         (1, "text after '/**': '/**' stands alone on its "
                          "line"))

    def test_closing_not_alone(self):
        f = self.one("""
            /**
             * frob() - frob */
            static void frob(void)
            {
            }
        """)
        self.assertEqual(f.line, 2)
        self.assertIn("'*/' stands alone", f.message)

    def test_line_without_star(self):
        f = self.one("""
            /**
             * frob() - frob
               more text
             */
            static void frob(void)
            {
            }
        """)
        self.assertEqual((f.line, f.message),
                         (3, "kernel-doc line does not start with ' *'"))

    def test_summary_without_dash(self):
        f = self.one("""
            /**
             * frob(): frob it
             */
            static void frob(void)
            {
            }
        """)
        self.assertEqual(f.line, 2)
        self.assertIn("summary line must read", f.message)

    def test_summary_without_text(self):
        f = self.one("""
            /**
             * frob() -
             */
            static void frob(void)
            {
            }
        """)
        self.assertIn("summary line must read", f.message)

    def test_function_summary_without_parentheses(self):
        f = self.one("""
            /**
             * frob - frob it
             */
            static void frob(void)
            {
            }
        """)
        self.assertEqual(f.message,
                         "write 'frob()' for a function in the summary line")

    def test_name_mismatch(self):
        f = self.one("""
            /**
             * frob() - frob it
             */
            static void frobnicate(void)
            {
            }
        """)
        self.assertEqual(f.message, "kernel-doc names 'frob()' but the "
                         "declaration below is 'frobnicate()'")

    def test_struct_name_mismatch(self):
        f = self.one("""
            /**
             * struct frob - one frob
             * @a: a
             */
            struct frib {
                    int a;
            };
        """)
        self.assertIn("names 'struct frob' but the declaration below is "
                      "'struct frib'", f.message)

    def test_block_with_nothing_below(self):
        f = self.one("""
            /**
             * frob() - frob it
             */
        """)
        self.assertEqual(f.message, "kernel-doc for 'frob()' is not followed "
                         "by a declaration")

    def test_missing_param(self):
        f = self.one("""
            /**
             * frob() - frob it
             * @a: first
             */
            static void frob(int a, int b)
            {
            }
        """)
        self.assertEqual(f.message, "'frob()': parameter 'b' is not "
                         "documented (' * @b: ...')")

    def test_param_that_does_not_exist(self):
        f = self.one("""
            /**
             * frob() - frob it
             * @a: first
             * @c: no such thing
             */
            static void frob(int a)
            {
            }
        """)
        self.assertEqual((f.line, f.message),
                         (4, "'frob()' has no parameter 'c'"))

    def test_param_twice_and_without_text(self):
        f = check({SRC: """
            /**
             * frob() - frob it
             * @a: first
             * @a:
             */
            static void frob(int a)
            {
            }
        """})
        self.assertEqual(messages(f), ["4: '@a' is documented twice",
                                       "4: '@a:' has no description"])

    def test_variadic_must_be_documented(self):
        f = self.one("""
            /**
             * frob() - frob it
             * @fmt: format
             */
            static void frob(const char *fmt, ...)
            {
            }
        """)
        self.assertEqual(f.message, "'frob()': parameter '...' is not "
                         "documented (' * @...: ...')")

    def test_macro_params(self):
        f = self.one("""
            /**
             * FROB() - frob
             * @x: what
             */
            #define FROB(x, y)	((x) + (y))
        """)
        self.assertIn("parameter 'y' is not documented", f.message)

    def test_unnamed_param(self):
        f = self.one("""
            /**
             * frob() - frob
             * @a: what
             *
             * Context: any.
             */
            void frob(int a, struct cpumask *);
        """, path=HDR)
        self.assertEqual(f.message, "parameter 2 of 'frob()' has no name to "
                         "document")

    def test_missing_return(self):
        f = self.one("""
            /**
             * frob() - frob it
             */
            static void *frob(void)
            {
                    return 0;
            }
        """)
        self.assertEqual(f.message, "'frob()' returns a value but has no "
                         "' * Return:' section")

    def test_return_on_void(self):
        f = self.one("""
            /**
             * frob() - frob it
             *
             * Return: nothing at all.
             */
            static void frob(void)
            {
            }
        """)
        self.assertEqual(f.message, "'frob()' returns void but has a "
                         "' * Return:' section")

    def test_returns_is_not_return(self):
        f = self.one("""
            /**
             * frob() - frob it
             *
             * Returns: 1.
             */
            static int frob(void)
            {
                    return 1;
            }
        """)
        self.assertIn("has no ' * Return:' section", f.message)

    def test_missing_context_in_header(self):
        f = self.one("""
            /**
             * frob() - frob it
             */
            void frob(void);
        """, path=HDR)
        self.assertEqual(f.message, "'frob()' is declared in a public header "
                         "but has no ' * Context:' section")

    def test_missing_context_on_definition_of_public_function(self):
        f = check({HDR: "void frob(void);\n", SRC: """
            /**
             * frob() - frob it
             */
            void frob(void)
            {
            }
        """})
        self.assertEqual([(x.path, x.line) for x in f], [(SRC, 2)])
        self.assertIn("no ' * Context:' section", f[0].message)

    def test_struct_members(self):
        f = check({SRC: """
            /**
             * struct frob - one frob
             * @a: first
             * @z: not a member
             */
            struct frob {
                    int a;
                    union {
                            int b;
                            long c;
                    };
            };
        """})
        self.assertEqual(messages(f), [
            "2: 'struct frob': member 'b' is not documented (' * @b: ...')",
            "2: 'struct frob': member 'c' is not documented (' * @c: ...')",
            "4: 'struct frob' has no member 'z'"])

    def test_enum_values(self):
        f = self.one("""
            /**
             * enum frob - states
             * @FROB_A: a
             */
            enum frob { FROB_A, FROB_B };
        """)
        self.assertIn("value 'FROB_B' is not documented", f.message)

    def test_block_inside_a_body(self):
        f = self.one("""
            static void frob(void)
            {
                    /**
                     * not here
                     */
            }
        """)
        self.assertEqual(f.line, 3)
        self.assertIn("inside a body", f.message)

    def test_headers_blocks_are_checked_too(self):
        f = self.one("""
            /**
             * frob() - frob
             *
             * Context: any.
             */
            void frob(int a);
        """, path=ASM)
        self.assertIn("parameter 'a' is not documented", f.message)


class CommandLine(unittest.TestCase):
    def tree(self, files):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        for path, text in files.items():
            full = os.path.join(d.name, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as f:
                f.write(src(text))
        return d.name

    def test_findings_print_like_a_compiler_and_fail(self):
        root = self.tree({HDR: "/* t */\nint frob(int a);\n"})
        out = io.StringIO()
        with redirect_stdout(out):
            rc = kernel_doc.main(["--root", root])
        self.assertEqual(rc, 1)
        self.assertEqual(out.getvalue(),
                         f"{HDR}:2: 'frob()' has no kernel-doc block (above "
                         "this declaration or above its definition in a .c "
                         "file)\n")

    def test_clean_tree_passes(self):
        root = self.tree({HDR: GOOD_HEADER})
        out = io.StringIO()
        with redirect_stdout(out):
            rc = kernel_doc.main(["--root", root])
        self.assertEqual((rc, out.getvalue()), (0, ""))

    def test_only_named_files_are_checked(self):
        root = self.tree({HDR: "int frob(int a);\n", SRC: GOOD_HEADER})
        out = io.StringIO()
        with redirect_stdout(out):
            rc = kernel_doc.main(["--root", root, SRC])
        self.assertEqual((rc, out.getvalue()), (0, ""))


if __name__ == "__main__":
    unittest.main()
