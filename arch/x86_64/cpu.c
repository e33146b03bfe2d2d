// SPDX-License-Identifier: MIT
/*
 * CPUID: what the boot CPU can do. Read once, early, before anything
 * asks; the APs are assumed to match the boot CPU, as on every machine
 * xcall runs on.
 */
#include <asm/cpu.h>
#include <asm/cpu_quirks.h>
#include <asm/cpuid.h>
#include <asm/hypervisor.h>
#include <asm/processor.h>
#include <xcall/string.h>

/* CPUID.1:EAX (SDM vol. 2A, Figure 3-6): family 0xf adds the extended
 * family; families 6 and 0xf put the extended model above the model. */
#define STEPPING(eax)		((eax) & 0xf)
#define MODEL(eax)		(((eax) >> 4) & 0xf)
#define FAMILY(eax)		(((eax) >> 8) & 0xf)
#define EXT_MODEL(eax)		(((eax) >> 16) & 0xf)
#define EXT_FAMILY(eax)		(((eax) >> 20) & 0xff)
#define FAMILY_USES_EXT		0xf
#define FAMILY_P6		6
#define EXT_MODEL_SHIFT		4

static bool features[NR_X86_FEATURES];
static enum x86_vendor vendor;
static unsigned int family, model, stepping;
static char model_name[CPUID_BRAND_LEAVES * 16 + 1];
static char hv_name[CPUID_HV_SIGNATURE_LEN + 1];

/* hv_probe()'s reader on this machine. */
static void cpuid_read(u32 leaf, struct cpuid_regs *r, void *ctx)
{
	cpuid(leaf, &r->eax, &r->ebx, &r->ecx, &r->edx);
}

void cpu_detect(void)
{
	u32 a, b, c, d, max_leaf, max_ext;
	struct hv_info hv;
	char v[13];

	cpuid(CPUID_VENDOR_LEAF, &max_leaf, &b, &c, &d);
	memcpy(v, &b, 4);
	memcpy(v + 4, &d, 4);
	memcpy(v + 8, &c, 4);
	v[12] = 0;
	if (!strcmp(v, "GenuineIntel"))
		vendor = X86_VENDOR_INTEL;
	else if (!strcmp(v, "AuthenticAMD") || !strcmp(v, "HygonGenuine"))
		vendor = X86_VENDOR_AMD;

	cpuid(CPUID_FEATURES_LEAF, &a, &b, &c, &d);
	family = FAMILY(a);
	model = MODEL(a);
	stepping = STEPPING(a);
	if (family == FAMILY_P6 || family == FAMILY_USES_EXT)
		model += EXT_MODEL(a) << EXT_MODEL_SHIFT;
	if (family == FAMILY_USES_EXT)
		family += EXT_FAMILY(a);
	features[X86_FEATURE_MWAIT] = c & ECX_MWAIT;
	features[X86_FEATURE_X2APIC] = c & ECX_X2APIC;
	features[X86_FEATURE_TSC_DEADLINE] = c & ECX_TSC_DEADLINE;
	features[X86_FEATURE_HYPERVISOR] = c & ECX_HYPERVISOR;
	features[X86_FEATURE_MCE] = d & EDX_MCE;
	features[X86_FEATURE_APIC] = d & EDX_APIC;
	features[X86_FEATURE_MCA] = d & EDX_MCA;
	features[X86_FEATURE_PAT] = d & EDX_PAT;
	features[X86_FEATURE_CLFLUSH] = d & EDX_CLFLUSH;

	if (max_leaf >= CPUID_TOPOLOGY_LEAF) {
		/* Leaf 0Bh exists when subleaf 0 reports a non-zero EBX. */
		cpuid_count(CPUID_TOPOLOGY_LEAF, 0, &a, &b, &c, &d);
		features[X86_FEATURE_TOPOLOGY_LEAF] = b != 0;
	}

	cpuid(CPUID_EXT_MAX_LEAF, &max_ext, &b, &c, &d);
	if (max_ext >= CPUID_EXT_FEATURES_LEAF) {
		cpuid(CPUID_EXT_FEATURES_LEAF, &a, &b, &c, &d);
		features[X86_FEATURE_NX] = d & EXT_EDX_NX;
		features[X86_FEATURE_EXTAPIC] = c & EXT_ECX_EXTAPIC;
	}
	if (max_ext >= CPUID_POWER_LEAF) {
		cpuid(CPUID_POWER_LEAF, &a, &b, &c, &d);
		features[X86_FEATURE_INVARIANT_TSC] = d & POWER_EDX_INVARIANT_TSC;
	}
	if (max_ext >= CPUID_BRAND_LEAF_FIRST + CPUID_BRAND_LEAVES - 1) {
		for (u32 i = 0; i < CPUID_BRAND_LEAVES; i++) {
			u32 r[4];

			cpuid(CPUID_BRAND_LEAF_FIRST + i, &r[0], &r[1], &r[2], &r[3]);
			memcpy(model_name + 16 * i, r, sizeof(r));
		}
	}
	hv_probe(features[X86_FEATURE_HYPERVISOR], cpuid_read, NULL, &hv);
	memcpy(hv_name, hv.name, sizeof(hv_name));
	features[X86_FEATURE_KVM_HINTS_REALTIME] = hv.kvm_hints_realtime;
}

bool cpu_has(enum x86_feature f)
{
	return f < NR_X86_FEATURES && features[f];
}

enum x86_vendor cpu_vendor(void)
{
	return vendor;
}

unsigned int cpu_family(void)
{
	return family;
}

void cpu_get_ident(struct cpu_ident *id)
{
	*id = (struct cpu_ident){
		.vendor = vendor,
		.family = family,
		.model = model,
		.stepping = stepping,
	};
}

unsigned int cpu_model(void)
{
	return model;
}

unsigned int cpu_stepping(void)
{
	return stepping;
}

const char *cpu_model_name(void)
{
	const char *s = model_name;

	while (*s == ' ')	/* Intel pads the brand string on the left */
		s++;
	return s;
}

const char *cpu_hypervisor_name(void)
{
	return hv_name;
}
