/* x86's ends: isa-debug-exit, ACPI S5, pvpanic, a triple fault. */
#include "arch.h"
#include "ends.h"
#include "fmt.h"
#include "io.h"
#include "pci.h"
#include "script.h"
#include "x86_actions.h"

/* isa-debug-exit: QEMU exits with (value << 1) | 1. */
#define PORT_DEBUG_EXIT 0xf4
#define PORT_DEBUG_EXIT_UK 0x501	/* where Unikraft's QEMU runs put it */

void request_exit(uint8_t value)
{
	outl(PORT_DEBUG_EXIT, value);
}

static void request_exit501(uint8_t value)
{
	outw(PORT_DEBUG_EXIT_UK, value);
}

void act_exit501(const char *v)
{
	end_with_status("exit501", v, request_exit501, "exit device absent");
}

/*
 * QEMU's ISA pvpanic device (-device pvpanic, port 0x505): bit 0 written means "panicked", and QEMU
 * sends the QMP event GUEST_PANICKED (then pauses the guest, by default). The guest halts after it,
 * as a kernel's panic path would, in case the device is absent.
 */
#define PORT_PVPANIC 0x505
#define PVPANIC_PANICKED 1

void act_pvpanic(const char *v)
{
	(void)v;
	outb(PORT_PVPANIC, PVPANIC_PANICKED);
	kprintf("reference: pvpanic written\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The PM I/O base is whatever the firmware programmed into the chipset, so
 * read it back rather than trusting a constant. Returns 0 if there is no
 * enabled PIIX4 (pc) or ICH9 (q35) power-management block. */
static uint16_t acpi_pm_base(void)
{
	if (pci_read(1, 3, 0x00) == 0x71138086 && (pci_read(1, 3, 0x80) & 1))
		return pci_read(1, 3, 0x40) & 0xffc0;
	if (pci_read(31, 0, 0x00) == 0x29188086 &&
	    (pci_read(31, 0, 0x44) & 0x80))
		return pci_read(31, 0, 0x40) & 0xff80;
	return 0;
}

#define PM1_CNT 0x04
#define SLP_EN (1 << 13)
#define SLP_TYP_S5_QEMU 0	/* QEMU's DSDT declares \_S5 as 0 */

/* microvm's hardware-reduced ACPI has a GED sleep-control register instead
 * of PM1 (QEMU's GED_MMIO_BASE_REGS); there S5 is SLP_TYP 5. */
#define MICROVM_GED_SLEEP_CTL ((volatile uint8_t *)0xfea00200)
#define GED_SLP_TYP_S5 5
#define GED_SLP_EN (1 << 5)

void request_poweroff(void)
{
	uint16_t pm = acpi_pm_base();

	if (pm)
		outw(pm + PM1_CNT, SLP_TYP_S5_QEMU << 10 | SLP_EN);
	else
		*MICROVM_GED_SLEEP_CTL = GED_SLP_TYP_S5 << 2 | GED_SLP_EN;
}

/*
 * Unikraft's clean halt: an S5 request, then a debug-exit write. QEMU emits
 * SHUTDOWN(guest-shutdown) from its main loop while this vCPU runs on into the
 * exit device, and the process ends with the debug-exit status, mostly after
 * the event. The two writes are adjacent instructions: with a call between
 * them (a new translation block), QEMU usually stopped the vCPU first and
 * exited 0.
 */
void act_poweroff_exit(const char *v)
{
	uint64_t code;
	uint16_t pm;
	uint32_t eax = SLP_TYP_S5_QEMU << 10 | SLP_EN;

	if (!script_number("poweroff-exit", v, 255, &code))
		return;
	pm = acpi_pm_base();
	if (pm)
		asm volatile("outw %w0, %w1; mov %2, %0; outl %0, %3"
			     : "+a"(eax)
			     : "d"((uint16_t)(pm + PM1_CNT)), "r"((uint32_t)code),
			       "i"(PORT_DEBUG_EXIT));
	else
		asm volatile("movb %b0, %1; outl %2, %3"
			     : : "q"((uint8_t)(GED_SLP_TYP_S5 << 2 | GED_SLP_EN)),
			       "m"(*MICROVM_GED_SLEEP_CTL), "a"((uint32_t)code),
			       "i"(PORT_DEBUG_EXIT));
	sleep_ms(1000);
	kprintf("reference: poweroff-exit did not end the run\n");
	halt_forever();
}

void act_triplefault(const char *v)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty_idt = { 0, 0 };

	(void)v;
	/* #BP cannot be delivered, nor the #GP and #DF that follow. */
	asm volatile("lidt %0; int3" : : "m"(empty_idt));
	halt_forever();
}
