// debugger: { stub: guest }: what the loader refuses at its line, the second serial port in QEMU's argv, and
// the client's one-packet-at-a-time mode a serial stub (KGDB) needs.
import { afterAll, describe, expect, test } from 'vitest';
import { createServer, connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneScenario } from './support/one-scenario.js';
import { buildQemuCommand } from '../../src/qemu/argv.js';
import { GdbClient } from '../../src/gdb/gdb-client.js';
import { encodePacket } from '../../src/gdb/rsp-codec.js';

const { ok, issue } = oneScenario('kgdb.yaml', ['name: k', 'guest: { kernel: bzImage, cmdline: "kgdboc=ttyS1 kgdbwait" }', 'exit: any']);

describe('debugger: { stub: guest } in a scenario', () => {
  test('loads on x86_64 with the channel, defaulting to serial1', () => {
    expect(ok('debugger: { stub: guest, channel: serial1 }').guestStub).toMatchObject({ channel: 'serial1', location: { line: 4 } });
    expect(ok('debugger: { stub: guest }').guestStub?.channel).toBe('serial1');
    expect(ok('debugger: { stub: qemu }').guestStub).toBeUndefined();
  });

  test('coverage and profile, which need the TCG plugin, are refused beside the guest\'s stub', () => {
    expect(issue('debugger: { stub: guest }', 'coverage: true')).toMatchObject({ code: 'invalid-value', line: 5, path: 'coverage',
      message: 'coverage comes from QEMU\'s TCG plugin, which a run through the guest\'s own stub (debugger: { stub: guest }) does not load.' });
    expect(issue('debugger: { stub: guest }', 'profile: true')).toMatchObject({ line: 5, path: 'profile' });
  });

  test('an unknown stub or channel is refused at its key', () => {
    expect(issue('debugger: { stub: kgdb }')).toMatchObject({ code: 'invalid-value', line: 4, path: 'debugger.stub' });
    expect(issue('debugger: { stub: guest, channel: virtio }')).toMatchObject({ code: 'invalid-value', line: 4, path: 'debugger.channel' });
  });

  test('an architecture without a second serial port is refused, naming it', () => {
    const found = issue('machine: { arch: aarch64 }', 'debugger: { stub: guest }');
    expect(found).toMatchObject({ code: 'invalid-value', line: 5, path: 'debugger.stub' });
    expect(found.message).toBe("aarch64's machines have no second serial port for a guest's stub to listen on.");
  });

  test('what the guest stub cannot do fails at the expectation\'s line', () => {
    const watch = issue('debugger: { stub: guest }', 'expect:', '  - watch: jiffies');
    expect(watch).toMatchObject({ code: 'invalid-value', line: 6, path: 'expect[0].watch' });
    expect(watch.message).toContain('software breakpoints only');
    expect(issue('debugger: { stub: guest }', 'expect:', '  - breakpoint: f', '    vcpu: 0')).toMatchObject({ line: 7, path: 'expect[0].vcpu' });
    const register = issue('debugger: { stub: guest }', 'expect:', '  - breakpoint: f', '    registers: { cr3: 0 }');
    expect(register).toMatchObject({ line: 7, path: 'expect[0].registers', message: 'the guest\'s stub on x86_64 has no register cr3.' });
    // x86 KGDB answers OK to a P of rsp and drops it: a return from the entry would leave the stack wrong.
    const skip = issue('debugger: { stub: guest }', 'faults:', '  - function: f', '    return: 1');
    expect(skip).toMatchObject({ line: 6, path: 'faults[0].mode' });
    expect(skip.message).toContain('ignores writes to rsp');
    expect(ok('debugger: { stub: guest }', 'faults:', '  - function: f', '    return: 1', '    mode: override').faults).toHaveLength(1);
  });

  test('QEMU gets the stub\'s socket as the second serial port, after the console, and no -gdb', () => {
    const scenario = ok('debugger: { stub: guest }');
    const { args } = buildQemuCommand(scenario, {
      sinks: { console: { kind: 'file', path: '/run/vg/console.out' }, qmp: { kind: 'connect', path: '/run/vg/qmp.sock' }, gdb: { kind: 'connect', path: '/run/vg/gdb.sock' } },
      accel: 'tcg', paused: true,
    });
    const serials = args.flatMap((a, i) => (a === '-serial' ? [args[i + 1]] : []));
    expect(serials).toEqual(['chardev:vg-console', 'chardev:vg-gdb']);
    expect(args).not.toContain('-gdb');
    expect(args).toContain('socket,id=vg-gdb,path=/run/vg/gdb.sock');
  });
});

const DIR = mkdtempSync(join(tmpdir(), 'vg-guest-stub-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** A stub that, like KGDB, reads nothing more until the reply it sent is acked, and drops a reply a `$` answers. */
async function serialStub(answer: (payload: string) => string) {
  const path = join(DIR, 'stub.sock');
  const writes: string[] = [];
  let peer!: Socket;
  const server = createServer((socket) => {
    peer = socket;
    let buffer = '';
    let awaitingAck = false;
    socket.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      writes.push(text);
      buffer += text;
      for (;;) {
        if (awaitingAck) {
          if (buffer.length === 0) return;
          const c = buffer[0];
          buffer = buffer.slice(1);
          if (c === '+') awaitingAck = false;
          else if (c === '$') { socket.destroy(); return; } // KGDB would nak and drop its reply: the client must never do this
          continue;
        }
        const match = /\$([^#]*)#[0-9a-f]{2}/.exec(buffer);
        if (!match) return;
        buffer = buffer.slice(match.index + match[0].length);
        socket.write(`+${encodePacket(answer(match[1]!))}`, 'latin1');
        awaitingAck = true;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const socket = connect(path);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return { socket, writes, close: () => { peer.destroy(); server.close(); } };
}

describe('GdbClient one packet at a time (a serial stub)', () => {
  test('a pipeline goes out packet by packet, each reply acked before the next packet, the resume last', async () => {
    const stub = await serialStub((p) => (p === 'c' ? 'T05thread:0000000000000001;' : p.startsWith('p') ? '2a00000000000000' : 'OK'));
    const client = new GdbClient(stub.socket, 5000, true);
    expect(await client.pipeline(['p10', 'P0=01', 'm1000,4'], 'c')).toEqual(['2a00000000000000', 'OK', 'OK', 'T05thread:0000000000000001;']);
    // Each packet after the ack of the reply before it (the stub hangs up on a `$` in its place); the last
    // reply acked too, with no further packet to carry it.
    await expect.poll(() => stub.writes.join('')).toBe(['p10', 'P0=01', 'm1000,4', 'c'].map(encodePacket).join('+') + '+');
    stub.close();
  });
});
