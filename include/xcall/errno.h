/* SPDX-License-Identifier: MIT */
/*
 * Error numbers. The values are Linux's (and glibc's), so a host test that
 * also includes <errno.h> sees the same numbers.
 */
#ifndef XCALL_ERRNO_H
#define XCALL_ERRNO_H

#ifndef EPERM
#define EPERM		1	/* not allowed on this CPU (the boot CPU) */
#endif
#ifndef ENXIO
#define ENXIO		6	/* CPU not online, device absent */
#endif
#ifndef ENOMEM
#define ENOMEM		12	/* out of memory or table space */
#endif
#ifndef EBUSY
#define EBUSY		16	/* call record still in flight */
#endif
#ifndef ENODEV
#define ENODEV		19	/* the hardware has no such feature */
#endif
#ifndef EINVAL
#define EINVAL		22	/* bad argument, malformed input */
#endif
#ifndef ERANGE
#define ERANGE		34	/* value out of range */
#endif
#ifndef EDEADLK
#define EDEADLK		35	/* the wait asked for could deadlock */
#endif
#ifndef EFAULT
#define EFAULT		14	/* an address that faults */
#endif
#ifndef ENOENT
#define ENOENT		2	/* not found */
#endif
#ifndef EIO
#define EIO		5	/* the hardware refused an access */
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT	110	/* a CPU did not answer in time */
#endif

#endif /* XCALL_ERRNO_H */
