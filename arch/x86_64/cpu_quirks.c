// SPDX-License-Identifier: MIT
/*
 * Errata by CPU model (see asm/cpu_quirks.h). Only the lists live here:
 * no CPUID, no MSR, no state, so the host tests build this file too. The
 * facts come from the vendors' revision guides as Linux applies them;
 * each list says where.
 */
#include <asm/cpu_quirks.h>
#include <xcall/compiler.h>

#define AMD_FAMILY_K8		0xf
#define AMD_FAMILY_10H		0x10

/* The first model and stepping of each family that has erratum 400. */
#define E400_K8_MODEL		0x41
#define E400_K8_STEPPING	0x2
#define E400_10H_MODEL		0x2
#define E400_10H_STEPPING	0x1

#define INTEL_FAMILY_6		6
/* Display models of family 6 (Linux's intel-family.h names). */
#define INTEL_CORE2_DUNNINGTON	0x1d
#define INTEL_NEHALEM_EX	0x2e
#define INTEL_WESTMERE_EX	0x2f
#define INTEL_ATOM_GOLDMONT	0x5c
#define INTEL_ICELAKE_X		0x6a
#define INTEL_LUNARLAKE_M	0xbd

static const unsigned int monitor_misses_stores[] = {
	INTEL_ATOM_GOLDMONT, INTEL_LUNARLAKE_M, INTEL_ICELAKE_X,
};

static const unsigned int clflush_before_monitor[] = {
	INTEL_CORE2_DUNNINGTON, INTEL_NEHALEM_EX, INTEL_WESTMERE_EX,
};

/* Is @id an Intel family 6 CPU whose model is in @models? */
static bool intel_family6_in(const struct cpu_ident *id, const unsigned int *models,
			     size_t n)
{
	if (id->vendor != X86_VENDOR_INTEL || id->family != INTEL_FAMILY_6)
		return false;
	for (size_t i = 0; i < n; i++)
		if (id->model == models[i])
			return true;
	return false;
}

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

bool quirk_monitor_misses_stores(const struct cpu_ident *id)
{
	return intel_family6_in(id, monitor_misses_stores, ARRAY_SIZE(monitor_misses_stores));
}

bool quirk_clflush_before_monitor(const struct cpu_ident *id)
{
	return intel_family6_in(id, clflush_before_monitor, ARRAY_SIZE(clflush_before_monitor));
}
