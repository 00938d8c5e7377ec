/*
 * vitest-guest's QEMU TCG plugin: counts executions of code points (per vCPU) and, with blocks=on, of every
 * translated block, and streams the counts to the runner over a UNIX socket. Nothing stops the guest.
 *
 * Arguments: sock=PATH (required), points=HEX:HEX:... (addresses), marks=HEX.N[.V]:... (counts that send a batch
 * the moment they are reached), blocks=on, blocks-max=N, interval-ms=N.
 * The stream is little-endian frames, each `u32 length (of what follows), u8 kind, payload`; see
 * src/instrumentation/plugin-records.ts for the reader and plugin/README.md for the layout. Counts are deltas since the
 * last batch; the runner asks for a batch by writing any byte, and one comes on a timer, at QEMU's exit, and from
 * the vCPU itself when a mark is reached.
 *
 * Debian ships no qemu-plugin.h: the API of QEMU 7.2 (version 1) that this file uses is declared here. The
 * inline operations (gone in QEMU 9.0) are looked up with dlsym, so a QEMU without them gets callbacks.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

/* ---- The QEMU plugin API, version 1 (include/qemu/qemu-plugin.h of QEMU 7.2) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef struct {
    const char *target_name;
    struct { int min; int cur; } version;
    bool system_emulation;
    union { struct { int smp_vcpus; int max_vcpus; } system; };
} qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
extern void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb, enum qemu_plugin_cb_flags flags, void *userdata);
extern void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb, enum qemu_plugin_cb_flags flags, void *userdata);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
extern struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
extern uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
extern size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

/* Removed in QEMU 9.0 (replaced by per-vCPU scoreboards): looked up, never linked against. */
typedef void (*tb_exec_inline_fn)(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr, uint64_t imm);
typedef void (*insn_exec_inline_fn)(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr, uint64_t imm);

EXPORT int qemu_plugin_version = 1;

/* ---- The stream (see plugin/README.md) ---- */
enum { PROTOCOL_VERSION = 1 };
enum { FRAME_HELLO = 1, FRAME_BATCH = 2 };
enum { BATCH_TIMER = 0, BATCH_ASKED = 1, BATCH_EXIT = 2, BATCH_MARK = 3 };
/* u32 length, u8 kind, then the batch header of 40 bytes; the entries follow. */
#define BATCH_HEADER 45

#define MAX_POINTS 4096
#define MAX_MARKS 256
#define MAX_VCPUS 64
#define DEFAULT_BLOCKS_MAX (1u << 18)
#define DEFAULT_INTERVAL_MS 10

/*
 * A count of one point (on one vCPU, or on all together) whose batch is sent by the vCPU that reached it, before
 * that vCPU runs on: its time comes before anything the guest does after that execution, so the runner can tell
 * what the guest wrote after it (a console line `after:` the count) from its time, whenever the batch arrives.
 */
struct mark {
    uint64_t vaddr; /* as given; the point's index once the points are sorted */
    unsigned point;
    int vcpu; /* -1: executions on every vCPU together */
    uint64_t count;
};

struct block {
    uint64_t vaddr;
    uint32_t bytes;
    uint32_t insns;
    uint64_t count;
};

static struct {
    int sock;
    unsigned vcpus;
    bool inline_points;
    bool inline_blocks;
    insn_exec_inline_fn insn_inline;
    tb_exec_inline_fn tb_inline;
    unsigned interval_ms;

    uint64_t points[MAX_POINTS];
    unsigned n_points;
    /* [point * vcpus + vcpu]: each vCPU adds only to its own slots, so no add is lost under MTTCG. */
    uint64_t *point_counts;
    uint64_t *point_sent;

    struct mark marks[MAX_MARKS]; /* sorted by point */
    unsigned n_marks;
    /* Per point: its marks are marks[mark_first .. mark_first + mark_n). A marked point counts through a callback. */
    uint16_t mark_first[MAX_POINTS];
    uint16_t mark_n[MAX_POINTS];
    /* Per marked point: executions on every vCPU, for marks on all of them. */
    uint64_t *point_totals;

    bool blocks_on;
    uint32_t blocks_max;
    struct block *blocks;
    uint64_t *block_sent;
    /* Open addressing over block ids + 1 (0: empty), twice blocks_max slots. */
    uint32_t *block_index;
    uint32_t index_mask;
    uint32_t n_blocks; /* written under table_lock, read with acquire by the sender */
    uint32_t blocks_announced;
    uint64_t blocks_dropped;
    pthread_mutex_t table_lock;

    pthread_mutex_t send_lock;
    uint8_t *buf;
    size_t buf_size;
    uint32_t asked; /* requests (bytes) read from the runner so far */
    bool closed;
    pthread_t thread;
    int wake[2];
} g = { .sock = -1, .table_lock = PTHREAD_MUTEX_INITIALIZER, .send_lock = PTHREAD_MUTEX_INITIALIZER, .wake = { -1, -1 } };

/* On QEMU's stderr, which the runner reads for QEMU's own errors (qemu_plugin_outs needs -d plugin). */
static void fail(const char *why)
{
    fprintf(stderr, "vitest-guest plugin: %s\n", why);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint8_t *put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) *p++ = (uint8_t)(v >> (8 * i)); return p; }
static uint8_t *put64(uint8_t *p, uint64_t v) { for (int i = 0; i < 8; i++) *p++ = (uint8_t)(v >> (8 * i)); return p; }

static bool send_all(const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(g.sock, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { g.closed = true; return false; }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* ---- Points: sorted addresses, found by binary search at translation ---- */
static int point_of(uint64_t vaddr)
{
    unsigned lo = 0, hi = g.n_points;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (g.points[mid] == vaddr) return (int)mid;
        if (g.points[mid] < vaddr) lo = mid + 1; else hi = mid;
    }
    return -1;
}

static void point_exec(unsigned int vcpu, void *udata)
{
    uintptr_t point = (uintptr_t)udata;
    if (vcpu < g.vcpus) g.point_counts[point * g.vcpus + vcpu]++;
}

static void send_batch(uint8_t reason);

/* Each count equals a mark's once: the vCPU's own slot only it adds to, the total by an atomic add. */
static void marked_point_exec(unsigned int vcpu, void *udata)
{
    uintptr_t point = (uintptr_t)udata;
    if (vcpu >= g.vcpus) return;
    uint64_t on_vcpu = ++g.point_counts[point * g.vcpus + vcpu];
    uint64_t total = __atomic_add_fetch(&g.point_totals[point], 1, __ATOMIC_RELAXED);
    for (unsigned i = g.mark_first[point]; i < g.mark_first[point] + g.mark_n[point]; i++) {
        const struct mark *m = &g.marks[i];
        if (m->vcpu < 0 ? total == m->count : (unsigned)m->vcpu == vcpu && on_vcpu == m->count) {
            send_batch(BATCH_MARK);
            return;
        }
    }
}

/* ---- Blocks: one entry per distinct (start, bytes, instructions), ids in first-translation order ---- */
static uint64_t block_hash(uint64_t vaddr, uint32_t bytes, uint32_t insns)
{
    uint64_t h = vaddr ^ ((uint64_t)bytes << 40) ^ ((uint64_t)insns << 52);
    h ^= h >> 33; h *= 0xff51afd7ed558ccdull; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ull; h ^= h >> 33;
    return h;
}

/* The block's entry, added if new; NULL once the table is full (counted as dropped). */
static struct block *block_entry(uint64_t vaddr, uint32_t bytes, uint32_t insns)
{
    struct block *found = NULL;
    pthread_mutex_lock(&g.table_lock);
    for (uint32_t slot = (uint32_t)block_hash(vaddr, bytes, insns) & g.index_mask;; slot = (slot + 1) & g.index_mask) {
        uint32_t id = g.block_index[slot];
        if (id == 0) {
            if (g.n_blocks == g.blocks_max) { g.blocks_dropped++; break; }
            struct block *b = &g.blocks[g.n_blocks];
            b->vaddr = vaddr; b->bytes = bytes; b->insns = insns; b->count = 0;
            g.block_index[slot] = g.n_blocks + 1;
            __atomic_store_n(&g.n_blocks, g.n_blocks + 1, __ATOMIC_RELEASE);
            found = b;
            break;
        }
        struct block *b = &g.blocks[id - 1];
        if (b->vaddr == vaddr && b->bytes == bytes && b->insns == insns) { found = b; break; }
    }
    pthread_mutex_unlock(&g.table_lock);
    return found;
}

static void block_exec(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    __atomic_fetch_add(&((struct block *)udata)->count, 1, __ATOMIC_RELAXED);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        bytes += qemu_plugin_insn_size(insn);
        if (g.n_points == 0) continue;
        int point = point_of(qemu_plugin_insn_vaddr(insn));
        if (point < 0) continue;
        if (g.mark_n[point] > 0) qemu_plugin_register_vcpu_insn_exec_cb(insn, marked_point_exec, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)point);
        else if (g.inline_points) g.insn_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &g.point_counts[point], 1);
        else qemu_plugin_register_vcpu_insn_exec_cb(insn, point_exec, QEMU_PLUGIN_CB_NO_REGS, (void *)(uintptr_t)point);
    }
    if (!g.blocks_on) return;
    struct block *b = block_entry(qemu_plugin_tb_vaddr(tb), (uint32_t)bytes, (uint32_t)n);
    if (!b) return;
    if (g.inline_blocks) g.tb_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);
    else qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec, QEMU_PLUGIN_CB_NO_REGS, b);
}

/* ---- Sending ---- */
static size_t batch_capacity(void)
{
    return BATCH_HEADER + (size_t)g.n_points * g.vcpus * 16 + (size_t)g.blocks_max * 24 + (size_t)g.blocks_max * 16;
}

/*
 * One batch: every count that changed since the last one, the blocks first translated since, the time.
 * Deltas come from a snapshot of counters that vCPUs keep adding to: what is added after the read goes in
 * the next batch, so nothing is counted twice or lost.
 */
static void send_batch(uint8_t reason)
{
    pthread_mutex_lock(&g.send_lock);
    if (g.closed) { pthread_mutex_unlock(&g.send_lock); return; }
    uint8_t *p = g.buf + BATCH_HEADER;
    uint32_t n_point_deltas = 0, n_new_blocks = 0, n_block_deltas = 0;
    for (unsigned i = 0; i < g.n_points * g.vcpus; i++) {
        uint64_t now = __atomic_load_n(&g.point_counts[i], __ATOMIC_RELAXED);
        if (now == g.point_sent[i]) continue;
        p = put32(p, i / g.vcpus);
        p = put32(p, i % g.vcpus);
        p = put64(p, now - g.point_sent[i]);
        g.point_sent[i] = now;
        n_point_deltas++;
    }
    uint32_t known = g.blocks_on ? __atomic_load_n(&g.n_blocks, __ATOMIC_ACQUIRE) : 0;
    for (uint32_t id = g.blocks_announced; id < known; id++) {
        struct block *b = &g.blocks[id];
        p = put32(p, id);
        p = put32(p, b->bytes);
        p = put64(p, b->vaddr);
        p = put32(p, b->insns);
        p = put32(p, 0);
        n_new_blocks++;
    }
    g.blocks_announced = known;
    for (uint32_t id = 0; id < known; id++) {
        uint64_t now = __atomic_load_n(&g.blocks[id].count, __ATOMIC_RELAXED);
        if (now == g.block_sent[id]) continue;
        p = put32(p, id);
        p = put32(p, 0);
        p = put64(p, now - g.block_sent[id]);
        g.block_sent[id] = now;
        n_block_deltas++;
    }
    uint8_t *h = g.buf;
    h = put32(h, (uint32_t)(p - g.buf - 4));
    *h++ = FRAME_BATCH;
    h = put64(h, now_ns());
    *h++ = reason;
    *h++ = 0; *h++ = 0; *h++ = 0;
    h = put32(h, g.asked);
    h = put32(h, n_point_deltas);
    h = put32(h, n_new_blocks);
    h = put32(h, n_block_deltas);
    h = put64(h, g.blocks_dropped);
    put32(h, 0); /* reserved */
    send_all(g.buf, (size_t)(p - g.buf));
    pthread_mutex_unlock(&g.send_lock);
}

static void send_hello(const qemu_info_t *info)
{
    uint8_t frame[256];
    size_t name_len = strnlen(info->target_name, 64);
    uint8_t *p = frame + 4;
    *p++ = FRAME_HELLO;
    p = put32(p, PROTOCOL_VERSION);
    p = put32(p, (uint32_t)info->version.cur);
    p = put32(p, g.vcpus);
    p = put32(p, g.n_points);
    p = put32(p, g.blocks_on ? g.blocks_max : 0);
    p = put32(p, (g.inline_points ? 1u : 0u) | (g.inline_blocks ? 2u : 0u));
    memcpy(p, info->target_name, name_len);
    p += name_len;
    put32(frame, (uint32_t)(p - frame - 4));
    send_all(frame, (size_t)(p - frame));
}

/* Sends a batch every interval, and one at once for each read of the runner's requests. */
static void *sender(void *arg)
{
    (void)arg;
    struct pollfd fds[2] = { { .fd = g.sock, .events = POLLIN }, { .fd = g.wake[0], .events = POLLIN } };
    uint64_t next = now_ns() + (uint64_t)g.interval_ms * 1000000u;
    for (;;) {
        uint64_t t = now_ns();
        int timeout = t >= next ? 0 : (int)((next - t) / 1000000u) + 1;
        int r = poll(fds, 2, timeout);
        if (r < 0 && errno != EINTR) break;
        if (fds[1].revents) break;
        if (r > 0 && fds[0].revents) {
            uint8_t requests[64];
            ssize_t got = recv(g.sock, requests, sizeof requests, MSG_DONTWAIT);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) break;
            if (got > 0) {
                pthread_mutex_lock(&g.send_lock);
                g.asked += (uint32_t)got;
                pthread_mutex_unlock(&g.send_lock);
                send_batch(BATCH_ASKED);
                next = now_ns() + (uint64_t)g.interval_ms * 1000000u;
                continue;
            }
        }
        if (now_ns() >= next) {
            send_batch(BATCH_TIMER);
            next = now_ns() + (uint64_t)g.interval_ms * 1000000u;
        }
    }
    return NULL;
}

static void at_exit(qemu_plugin_id_t id, void *userdata)
{
    (void)id; (void)userdata;
    if (write(g.wake[1], "x", 1) == 1) pthread_join(g.thread, NULL);
    send_batch(BATCH_EXIT);
    /* Under the lock: a vCPU still running (QEMU ends from its main thread) may reach a mark meanwhile. */
    pthread_mutex_lock(&g.send_lock);
    g.closed = true;
    close(g.sock);
    pthread_mutex_unlock(&g.send_lock);
}

/* ---- Arguments ---- */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static bool parse_points(const char *list)
{
    for (const char *p = list; *p;) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 16);
        if (end == p || errno || (*end && *end != ':')) { fail("points= takes hex addresses separated by ':'"); return false; }
        if (g.n_points == MAX_POINTS) { fail("points=: more than 4096 addresses"); return false; }
        g.points[g.n_points++] = v;
        p = *end ? end + 1 : end;
    }
    qsort(g.points, g.n_points, sizeof g.points[0], cmp_u64);
    unsigned unique = 0;
    for (unsigned i = 0; i < g.n_points; i++) if (unique == 0 || g.points[unique - 1] != g.points[i]) g.points[unique++] = g.points[i];
    g.n_points = unique;
    return true;
}

/* HEX.N or HEX.N.V, separated by ':'; resolved to points by resolve_marks once every argument is read. */
static bool parse_marks(const char *list)
{
    for (const char *p = list; *p;) {
        char *end;
        errno = 0;
        unsigned long long vaddr = strtoull(p, &end, 16);
        if (end == p || *end != '.') { fail("marks= takes HEX.COUNT or HEX.COUNT.VCPU separated by ':'"); return false; }
        p = end + 1;
        unsigned long long count = strtoull(p, &end, 10);
        if (end == p || errno || count == 0) { fail("marks=: a count is a number from 1"); return false; }
        long vcpu = -1;
        if (*end == '.') {
            p = end + 1;
            vcpu = strtol(p, &end, 10);
            if (end == p || vcpu < 0 || vcpu >= MAX_VCPUS) { fail("marks=: a vCPU is a number from 0 to 63"); return false; }
        }
        if (*end && *end != ':') { fail("marks= takes HEX.COUNT or HEX.COUNT.VCPU separated by ':'"); return false; }
        if (g.n_marks == MAX_MARKS) { fail("marks=: more than 256 marks"); return false; }
        g.marks[g.n_marks++] = (struct mark){ .vaddr = vaddr, .vcpu = (int)vcpu, .count = count };
        p = *end ? end + 1 : end;
    }
    return true;
}

static int cmp_marks(const void *a, const void *b)
{
    const struct mark *x = a, *y = b;
    return x->point < y->point ? -1 : x->point > y->point;
}

static bool resolve_marks(void)
{
    for (unsigned i = 0; i < g.n_marks; i++) {
        int point = point_of(g.marks[i].vaddr);
        if (point < 0) { fail("marks=: an address that is not among points="); return false; }
        if (g.marks[i].vcpu >= (int)g.vcpus) { fail("marks=: a vCPU the machine does not have"); return false; }
        g.marks[i].point = (unsigned)point;
    }
    qsort(g.marks, g.n_marks, sizeof g.marks[0], cmp_marks);
    for (unsigned i = 0; i < g.n_marks; i++) {
        unsigned point = g.marks[i].point;
        if (g.mark_n[point] == 0) g.mark_first[point] = (uint16_t)i;
        g.mark_n[point]++;
    }
    return true;
}

static bool connect_to(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path) { fail("sock=: the path is too long for a UNIX socket"); return false; }
    strcpy(addr.sun_path, path);
    g.sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (g.sock < 0 || connect(g.sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
        char why[400];
        snprintf(why, sizeof why, "cannot connect to %s: %s", path, strerror(errno));
        fail(why);
        return false;
    }
    return true;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    const char *sock = NULL;
    bool probe = false;
    g.interval_ms = DEFAULT_INTERVAL_MS;
    g.blocks_max = DEFAULT_BLOCKS_MAX;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "sock=", 5) == 0) sock = a + 5;
        else if (strncmp(a, "points=", 7) == 0) { if (!parse_points(a + 7)) return -1; }
        else if (strncmp(a, "marks=", 6) == 0) { if (!parse_marks(a + 6)) return -1; }
        else if (strcmp(a, "probe=on") == 0) probe = true;
        else if (strcmp(a, "blocks=on") == 0) g.blocks_on = true;
        else if (strcmp(a, "blocks=off") == 0) g.blocks_on = false;
        else if (strncmp(a, "blocks-max=", 11) == 0) g.blocks_max = (uint32_t)strtoul(a + 11, NULL, 10);
        else if (strncmp(a, "interval-ms=", 12) == 0) g.interval_ms = (unsigned)strtoul(a + 12, NULL, 10);
        else { char why[300]; snprintf(why, sizeof why, "unknown argument '%.200s'", a); fail(why); return -1; }
    }
    /* probe=on: loaded and installed, for the runner to know this QEMU takes the plugin; counts nothing. */
    if (probe) { printf("vitest-guest plugin: API %d (min %d), %s\n", info->version.cur, info->version.min, info->target_name); fflush(stdout); return 0; }
    if (!sock) { fail("sock=PATH is required"); return -1; }
    if (!info->system_emulation) { fail("only system emulation is supported"); return -1; }
    if (g.blocks_max == 0 || g.blocks_max > (1u << 24)) { fail("blocks-max= must be 1..16777216"); return -1; }
    if (g.interval_ms == 0) g.interval_ms = DEFAULT_INTERVAL_MS;
    g.vcpus = info->system.max_vcpus > 0 ? (unsigned)info->system.max_vcpus : 1;
    if (g.vcpus > MAX_VCPUS) { fail("more than 64 vCPUs"); return -1; }
    if (!resolve_marks()) return -1;

    g.insn_inline = (insn_exec_inline_fn)dlsym(RTLD_DEFAULT, "qemu_plugin_register_vcpu_insn_exec_inline");
    g.tb_inline = (tb_exec_inline_fn)dlsym(RTLD_DEFAULT, "qemu_plugin_register_vcpu_tb_exec_inline");
    /* One vCPU adds alone: an inline add is exact. With several, per-vCPU slots need the vCPU's index. */
    g.inline_points = g.insn_inline != NULL && g.vcpus == 1;
    g.inline_blocks = g.tb_inline != NULL && g.vcpus == 1;

    size_t slots = (size_t)(g.n_points ? g.n_points : 1) * g.vcpus;
    g.point_counts = calloc(slots, sizeof(uint64_t));
    g.point_sent = calloc(slots, sizeof(uint64_t));
    g.point_totals = calloc(g.n_points ? g.n_points : 1, sizeof(uint64_t));
    if (g.blocks_on) {
        uint32_t index_size = 1;
        while (index_size < g.blocks_max * 2u) index_size <<= 1;
        g.index_mask = index_size - 1;
        g.blocks = calloc(g.blocks_max, sizeof(struct block));
        g.block_sent = calloc(g.blocks_max, sizeof(uint64_t));
        g.block_index = calloc(index_size, sizeof(uint32_t));
    }
    g.buf_size = batch_capacity();
    g.buf = malloc(g.buf_size);
    if (!g.point_counts || !g.point_sent || !g.point_totals || !g.buf || (g.blocks_on && (!g.blocks || !g.block_sent || !g.block_index))) { fail("out of memory"); return -1; }
    if (pipe2(g.wake, O_CLOEXEC) != 0) { fail("pipe2 failed"); return -1; }
    if (!connect_to(sock)) return -1;
    send_hello(info);
    if (pthread_create(&g.thread, NULL, sender, NULL) != 0) { fail("cannot start the sender thread"); return -1; }
    qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
    qemu_plugin_register_atexit_cb(id, at_exit, NULL);
    return 0;
}
