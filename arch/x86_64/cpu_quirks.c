// SPDX-License-Identifier: MIT
/*
 * Errata by CPU model (see asm/cpu_quirks.h). Only the lists live here:
 * no CPUID, no MSR, no state, so the host tests build this file too. The
 * facts come from the vendors' revision guides as Linux applies them;
 * each list says where.
 */
#include <asm/cpu_quirks.h>

#define AMD_FAMILY_K8		0xf
#define AMD_FAMILY_10H		0x10

/* The first model and stepping of each family that has erratum 400. */
#define E400_K8_MODEL		0x41
#define E400_K8_STEPPING	0x2
#define E400_10H_MODEL		0x2
#define E400_10H_STEPPING	0x1

/* From (model, stepping) on, in a family's order of revisions. */
static bool from_revision(const struct cpu_ident *id, unsigned int model,
			  unsigned int stepping)
{
	return id->model > model || (id->model == model && id->stepping >= stepping);
}

bool quirk_amd_e400(const struct cpu_ident *id)
{
	if (id->vendor != X86_VENDOR_AMD)
		return false;
	if (id->family == AMD_FAMILY_K8)
		return from_revision(id, E400_K8_MODEL, E400_K8_STEPPING);
	if (id->family == AMD_FAMILY_10H)
		return from_revision(id, E400_10H_MODEL, E400_10H_STEPPING);
	return false;
}
