#include "fwcfg.h"
#include "io.h"

#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA 0x511
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_NB_CPUS 0x05

static void fwcfg_read(uint16_t key, uint8_t *buf, int len)
{
	outw(FW_CFG_SELECTOR, key);
	for (int i = 0; i < len; i++)
		buf[i] = inb(FW_CFG_DATA);
}

int fwcfg_cpu_count(void)
{
	uint8_t sig[4], n[2];

	fwcfg_read(FW_CFG_SIGNATURE, sig, 4);
	if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U')
		return -1;
	fwcfg_read(FW_CFG_NB_CPUS, n, 2);
	return n[0] | n[1] << 8;
}
