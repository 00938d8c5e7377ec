/* A walk over the structure block, big-endian tokens: BEGIN_NODE name,
 * PROP {len, nameoff} value, END_NODE, NOP, END. Only nodes up to depth 2
 * (/chosen, /cpus, /cpus/cpu@N) are looked at. */
#include "fdt.h"
#include "lib.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4

/* QEMU puts an aarch64 ELF kernel's DTB at physical 0, so a NULL blob can be
 * a real one: whether there is a DTB is a flag of its own. */
static const uint8_t *fdt;
static int present;

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

int fdt_init(const void *blob)
{
	present = be32(blob) == FDT_MAGIC;
	fdt = blob;
	return present;
}

struct fdt_prop {
	const char *node;	/* the node's name ("" for /) */
	const char *parent;	/* its parent's name, NULL for / */
	const char *name;
	const uint8_t *value;
	uint32_t len;
};

/* Calls `visit` for every property of the nodes at depth <= 2, until it
 * returns nonzero; node-begin events come as properties with a NULL name. */
static void walk(int (*visit)(const struct fdt_prop *p, void *ctx), void *ctx)
{
	const char *names[3] = { 0 };
	int depth = -1;

	if (!present)
		return;
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);

	for (;;) {
		uint32_t token = be32(p);

		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;

			p += (strlen(name) + 4) & ~3u;
			depth++;
			if (depth <= 2) {
				names[depth] = name;
				struct fdt_prop begin = {
					name, depth ? names[depth - 1] : 0, 0, 0, 0
				};
				if (visit(&begin, ctx))
					return;
			}
		} else if (token == FDT_END_NODE) {
			depth--;
		} else if (token == FDT_PROP) {
			uint32_t len = be32(p);
			struct fdt_prop prop = {
				depth >= 0 && depth <= 2 ? names[depth] : 0,
				depth >= 1 && depth <= 2 ? names[depth - 1] : 0,
				strings + be32(p + 4), p + 8, len
			};

			p += 8 + ((len + 3) & ~3u);
			if (prop.node && visit(&prop, ctx))
				return;
		} else if (token != FDT_NOP) {
			return;
		}
	}
}

static int at_root_child(const struct fdt_prop *p, const char *node)
{
	return p->parent && p->parent[0] == '\0' && streq(p->node, node);
}

static int visit_bootargs(const struct fdt_prop *p, void *ctx)
{
	if (p->name && at_root_child(p, "chosen") && streq(p->name, "bootargs")) {
		*(const char **)ctx = (const char *)p->value;
		return 1;
	}
	return 0;
}

const char *fdt_bootargs(void)
{
	const char *args = "";

	walk(visit_bootargs, &args);
	return args;
}

static int is_cpu_node(const char *name)
{
	return name[0] == 'c' && name[1] == 'p' && name[2] == 'u' &&
	       name[3] == '@';
}

struct cpu_scan {
	uint64_t *ids;
	int max;
	int count;	/* -1 until /cpus is seen */
	uint32_t address_cells;
};

static int visit_cpus(const struct fdt_prop *p, void *ctx)
{
	struct cpu_scan *s = ctx;

	if (at_root_child(p, "cpus")) {
		if (!p->name && s->count < 0)
			s->count = 0;
		else if (p->name && streq(p->name, "#address-cells") && p->len == 4)
			s->address_cells = be32(p->value);
	} else if (p->parent && streq(p->parent, "cpus") && is_cpu_node(p->node)) {
		if (!p->name)
			s->count++;
		else if (streq(p->name, "reg") && s->count <= s->max &&
			 p->len >= 4 * s->address_cells)
			s->ids[s->count - 1] = s->address_cells == 2 ?
				(uint64_t)be32(p->value) << 32 | be32(p->value + 4) :
				be32(p->value);
	}
	return 0;
}

int fdt_cpu_ids(uint64_t *ids, int max)
{
	struct cpu_scan s = { ids, max, -1, 1 };

	walk(visit_cpus, &s);
	return s.count;
}

struct u32_lookup {
	const char *prop;
	uint32_t value;
};

static int visit_cpus_u32(const struct fdt_prop *p, void *ctx)
{
	struct u32_lookup *l = ctx;

	if (p->name && at_root_child(p, "cpus") && streq(p->name, l->prop) &&
	    p->len == 4) {
		l->value = be32(p->value);
		return 1;
	}
	return 0;
}

uint32_t fdt_cpus_u32(const char *prop)
{
	struct u32_lookup l = { prop, 0 };

	walk(visit_cpus_u32, &l);
	return l.value;
}
