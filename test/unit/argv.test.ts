import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { buildQemuCommand, shellQuote, type ArgvOptions, type ChannelSink, type ObservedChannel } from '../../src/qemu/argv.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/model.js';

function scenario(yaml: string): Scenario {
  const [doc] = loadScenarioFile({ displayPath: 'x.yaml', absolutePath: '/p/x.yaml', text: yaml });
  if (!doc?.ok) throw new Error(JSON.stringify(doc));
  return doc.scenario;
}

const PC = scenario('name: pc\nguest: { kernel: k.elf }\nexit: any\n');

function sockets(dir = '/run/vg'): Partial<Record<ObservedChannel, ChannelSink | null>> {
  const sink = (name: string): ChannelSink => ({ kind: 'connect', path: `${dir}/${name}.sock` });
  return { console: sink('console'), debugcon: sink('debugcon'), codes: sink('codes'), firmware: sink('firmware'), qmp: sink('qmp') };
}

const options = (extra: Partial<ArgvOptions> = {}): ArgvOptions => ({ sinks: sockets(), accel: 'tcg', paused: true, ...extra });

describe('buildQemuCommand', () => {
  test('pc with every channel connected to a socket', () => {
    expect(buildQemuCommand(PC, options())).toEqual({
      binary: 'qemu-system-x86_64',
      args: [
        '-M', 'pc', '-accel', 'tcg', '-cpu', 'max', '-smp', '1', '-m', '128M',
        '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot', '-S',
        '-chardev', 'socket,id=vg-console,path=/run/vg/console.sock', '-serial', 'chardev:vg-console',
        '-chardev', 'socket,id=vg-debugcon,path=/run/vg/debugcon.sock', '-device', 'isa-debugcon,iobase=0xe9,chardev=vg-debugcon',
        '-chardev', 'socket,id=vg-codes,path=/run/vg/codes.sock', '-device', 'isa-debugcon,iobase=0x80,chardev=vg-codes',
        '-chardev', 'socket,id=vg-firmware,path=/run/vg/firmware.sock', '-device', 'isa-debugcon,iobase=0x402,chardev=vg-firmware',
        '-chardev', 'socket,id=vg-qmp,path=/run/vg/qmp.sock', '-mon', 'chardev=vg-qmp,mode=control',
        '-device', 'isa-debug-exit,iobase=0xf4,iosize=0x4',
        '-kernel', '/p/k.elf',
      ],
    });
  });

  test('a snapshot run\'s guest RAM in a file: shared by the saving run, copy-on-write in a resumed one, commas doubled', () => {
    const ramArgs = (shared: boolean): string[] => {
      const { args } = buildQemuCommand(PC, options({ guestRam: { path: '/snap/k,1.ram', shared } }));
      return args.slice(args.indexOf('-object'), args.indexOf('-object') + 4);
    };
    expect(ramArgs(true)).toEqual(['-object', 'memory-backend-file,id=vg-ram,size=128M,mem-path=/snap/k,,1.ram,share=on', '-machine', 'memory-backend=vg-ram']);
    expect(ramArgs(false)).toEqual(['-object', 'memory-backend-file,id=vg-ram,size=128M,mem-path=/snap/k,,1.ram,share=off', '-machine', 'memory-backend=vg-ram']);
    expect(buildQemuCommand(PC, options()).args).not.toContain('-object');
  });

  test('microvm with initrd, cmdline, cpus and memory', () => {
    const s = scenario([
      'name: m', 'guest: { kernel: vmlinux, initrd: initrd.img, cmdline: "console=ttyS0 quiet" }',
      'machine: { type: microvm, cpus: 2, memory: 256 }', 'exit: any',
    ].join('\n'));
    const { args } = buildQemuCommand(s, options());
    expect(args.slice(0, 10)).toEqual(['-M', 'microvm', '-accel', 'tcg', '-cpu', 'max', '-smp', '2', '-m', '256M']);
    expect(args.slice(-6)).toEqual(['-kernel', '/p/vmlinux', '-initrd', '/p/initrd.img', '-append', 'console=ttyS0 quiet']);
  });

  test('an empty cmdline is still passed; no cmdline means no -append', () => {
    const empty = scenario('name: e\nguest: { kernel: k, cmdline: "" }\nexit: any\n');
    expect(buildQemuCommand(empty, options()).args.slice(-2)).toEqual(['-append', '']);
    expect(buildQemuCommand(PC, options()).args).not.toContain('-append');
  });

  test('paused: false has no -S', () => {
    expect(buildQemuCommand(PC, options()).args).toContain('-S');
    expect(buildQemuCommand(PC, options({ paused: false })).args).not.toContain('-S');
  });

  test('the CPU model follows the accelerator: max under TCG (not QEMU\'s own qemu64), host under KVM', () => {
    expect(buildQemuCommand(PC, options()).args.slice(0, 6)).toEqual(['-M', 'pc', '-accel', 'tcg', '-cpu', 'max']);
    expect(buildQemuCommand(PC, options({ accel: 'kvm' })).args.slice(0, 6)).toEqual(['-M', 'pc', '-accel', 'kvm', '-cpu', 'host']);
  });

  test('machine.cpu is passed as written, under either accelerator', () => {
    const skylake = scenario('name: s\nguest: { kernel: k }\nmachine: { cpu: "Skylake-Server,-pku,+rdrand,level=0xd" }\nexit: any\n');
    for (const accel of ['tcg', 'kvm'] as const) {
      const { args } = buildQemuCommand(skylake, options({ accel }));
      expect(args.slice(2, 6)).toEqual(['-accel', accel, '-cpu', 'Skylake-Server,-pku,+rdrand,level=0xd']);
      expect(args.filter((a) => a === '-cpu')).toHaveLength(1);
    }
  });

  test('debug-exit false has no isa-debug-exit; a custom one uses its port and width', () => {
    const off = scenario('name: n\nguest: { kernel: k }\nmachine: { debug-exit: false }\nexit: any\n');
    expect(buildQemuCommand(off, options()).args.join(' ')).not.toContain('isa-debug-exit');
    const custom = scenario('name: c\nguest: { kernel: k }\nmachine: { debug-exit: { iobase: 0x501, iosize: 2 } }\nexit: any\n');
    expect(buildQemuCommand(custom, options()).args).toContain('isa-debug-exit,iobase=0x501,iosize=0x2');
  });

  test('extra qemu arguments come last', () => {
    const s = scenario('name: x\nguest: { kernel: k, cmdline: c }\nmachine: { qemu: [-d, "int,cpu_reset", -D, /tmp/q.log] }\nexit: any\n');
    expect(buildQemuCommand(s, options()).args.slice(-6)).toEqual(['-append', 'c', '-d', 'int,cpu_reset', '-D', '/tmp/q.log']);
  });

  test('a comma in a socket path is doubled', () => {
    const args = buildQemuCommand(PC, options({ sinks: sockets('/tmp/a,b') })).args;
    expect(args).toContain('socket,id=vg-console,path=/tmp/a,,b/console.sock');
    expect(args).toContain('socket,id=vg-qmp,path=/tmp/a,,b/qmp.sock');
  });

  test('file and stdio sinks; a null sink omits the channel', () => {
    const sinks: ArgvOptions['sinks'] = {
      console: { kind: 'stdio' }, debugcon: { kind: 'file', path: '/tmp/e9,x.log' }, codes: null, firmware: null, qmp: null,
    };
    const { args } = buildQemuCommand(PC, options({ sinks }));
    const chardevs = args.filter((_, i) => args[i - 1] === '-chardev');
    expect(chardevs).toEqual(['stdio,id=vg-console', 'file,id=vg-debugcon,path=/tmp/e9,,x.log']);
    expect(args).toContain('chardev:vg-console');
    expect(args).toContain('isa-debugcon,iobase=0xe9,chardev=vg-debugcon');
    expect(args.join(' ')).not.toMatch(/vg-codes|vg-firmware|vg-qmp|-mon/);
  });

  test('a pipe sink: QEMU reads <base>.in and writes <base>.out, the serial port on it', () => {
    const { args } = buildQemuCommand(PC, options({ sinks: { console: { kind: 'pipe', base: '/tmp/a,b/console' }, qmp: null } }));
    expect(args.filter((_, i) => args[i - 1] === '-chardev')).toEqual(['pipe,id=vg-console,path=/tmp/a,,b/console']);
    expect(args).toContain('chardev:vg-console');
  });

  test('a virtio sink adds a virtio-serial device with a virtconsole: virtio-mmio on microvm, PCI elsewhere', () => {
    const virtio = (type: string) => {
      const args = buildQemuCommand(scenario(`name: v\nguest: { kernel: k.elf }\nmachine: { type: ${type} }\nexit: any\n`), options({ sinks: { ...sockets(), virtio: { kind: 'connect', path: '/run/vg/virtio.sock' } } })).args;
      const at = args.findIndex((a) => a.startsWith('socket,id=vg-virtio')) - 1;
      return args.slice(at, at + 6);
    };
    expect(virtio('microvm')).toEqual(['-chardev', 'socket,id=vg-virtio,path=/run/vg/virtio.sock', '-device', 'virtio-serial-device', '-device', 'virtconsole,chardev=vg-virtio']);
    expect(virtio('q35')).toEqual(['-chardev', 'socket,id=vg-virtio,path=/run/vg/virtio.sock', '-device', 'virtio-serial-pci', '-device', 'virtconsole,chardev=vg-virtio']);
    expect(buildQemuCommand(PC, options()).args.join(' ')).not.toContain('virtio');
  });

  test('a gdb sink adds the GDB stub on its own chardev, after the QMP monitor', () => {
    const sinks = { ...sockets(), gdb: { kind: 'connect', path: '/run/vg/gdb.sock' } as const };
    const { args } = buildQemuCommand(PC, options({ sinks }));
    const at = args.indexOf('-gdb');
    expect(args.slice(at - 2, at + 2)).toEqual(['-chardev', 'socket,id=vg-gdb,path=/run/vg/gdb.sock', '-gdb', 'chardev:vg-gdb']);
    expect(args.indexOf('-mon')).toBeLessThan(at);
    expect(args.indexOf('-kernel')).toBeGreaterThan(at);
    expect(args).toContain('-S');
  });

  test('a comma in the gdb socket path is doubled', () => {
    const { args } = buildQemuCommand(PC, options({ sinks: { ...sockets(), gdb: { kind: 'connect', path: '/tmp/a,b/gdb.sock' } } }));
    expect(args).toContain('socket,id=vg-gdb,path=/tmp/a,,b/gdb.sock');
  });

  test.each([
    ['omitted', sockets()],
    ['null', { ...sockets(), gdb: null }],
  ])('a gdb sink %s: no -gdb and no vg-gdb chardev', (_, sinks) => {
    const { args } = buildQemuCommand(PC, options({ sinks }));
    expect(args).not.toContain('-gdb');
    expect(args.join(' ')).not.toContain('vg-gdb');
  });

  test('no console sink means no -serial', () => {
    const sinks = { ...sockets(), console: null };
    expect(buildQemuCommand(PC, options({ sinks })).args).not.toContain('-serial');
  });
});

describe('shellQuote', () => {
  test('plain words stay unquoted', () => {
    expect(shellQuote(['qemu-system-x86_64', '-M', 'pc', 'chardev:vg-console', 'a=b,c', '/p/k.elf', '@x', '%y+z'])).toBe(
      'qemu-system-x86_64 -M pc chardev:vg-console a=b,c /p/k.elf @x %y+z',
    );
  });

  test('spaces, quotes and shell characters are single-quoted', () => {
    expect(shellQuote(['a b'])).toBe("'a b'");
    expect(shellQuote(["it's"])).toBe("'it'\\''s'");
    expect(shellQuote([''])).toBe("''");
    expect(shellQuote(['$HOME'])).toBe("'$HOME'");
  });

  test('bash reads the quoted words back unchanged', () => {
    const words = ['plain', 'two words', "it's", '"double"', '$HOME', '`id`', 'a;b|c&d', '', 'tab\there', 'new\nline', '*', '!x', 'back\\slash', 'print="x y" exit=0'];
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${shellQuote(words)}`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });
});

describe('buildQemuCommand with a firmware', () => {
  test('firmware alone: -bios with the path resolved against the scenario file, no -kernel', () => {
    const s = scenario('name: f\nguest: { firmware: fw/OVMF.fd }\nmachine: { type: q35 }\nexit: any\n');
    const { args } = buildQemuCommand(s, options());
    expect(args.slice(-2)).toEqual(['-bios', '/p/fw/OVMF.fd']);
    expect(args).not.toContain('-kernel');
  });

  test('firmware beside a kernel: -bios before -kernel, -initrd and -append', () => {
    const s = scenario('name: f\nguest: { firmware: /usr/share/u-boot.rom, kernel: k, initrd: i, cmdline: c }\nexit: any\n');
    expect(buildQemuCommand(s, options()).args.slice(-8)).toEqual(['-bios', '/usr/share/u-boot.rom', '-kernel', '/p/k', '-initrd', '/p/i', '-append', 'c']);
  });

  test('pflash: code read-only on flash unit 0, vars on unit 1 as a snapshot (writable, never written back), commas doubled', () => {
    const s = scenario('name: f\nguest: { firmware: { pflash: "CODE,4M.fd", vars: ../VARS.fd } }\nexit: any\n');
    expect(buildQemuCommand(s, options()).args.slice(-4)).toEqual([
      '-drive', 'if=pflash,format=raw,unit=0,readonly=on,file=/p/CODE,,4M.fd',
      '-drive', 'if=pflash,format=raw,unit=1,snapshot=on,file=/VARS.fd',
    ]);
  });

  test('pflash without vars: only unit 0', () => {
    const { args } = buildQemuCommand(scenario('name: f\nguest: { firmware: { pflash: CODE.fd } }\nexit: any\n'), options());
    expect(args.slice(-2)).toEqual(['-drive', 'if=pflash,format=raw,unit=0,readonly=on,file=/p/CODE.fd']);
    expect(args.join(' ')).not.toMatch(/unit=1|-bios/);
  });

  test('extra qemu arguments still come last', () => {
    const s = scenario('name: f\nguest: { firmware: fw.rom }\nmachine: { qemu: [-boot, menu=off] }\nexit: any\n');
    expect(buildQemuCommand(s, options()).args.slice(-4)).toEqual(['-bios', '/p/fw.rom', '-boot', 'menu=off']);
  });
});
