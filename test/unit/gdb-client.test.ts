// The GDB client's transport against a scripted stub on a UNIX socket: ordering, pipelining, deferred acks,
// and the errors a stalled or vanished stub gives.
import { describe, expect, test, afterAll } from 'vitest';
import { createServer, connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GdbClient } from '../../src/gdb/gdb-client.js';
import { encodePacket } from '../../src/gdb/rsp-codec.js';

const DIR = mkdtempSync(join(tmpdir(), 'vg-gdb-client-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
let sockets = 0;

/**
 * A stub that records every write it receives and answers each packet with `answer(payload)`: a reply
 * (acked first), `{ raw }` bytes as they are, or undefined for silence.
 */
async function scriptedStub(answer: (payload: string) => string | { raw: string } | undefined, onInterrupt = encodePacket('T02thread:p01.01;')) {
  const path = join(DIR, `stub-${sockets++}.sock`);
  const writes: string[] = [];
  const received: string[] = [];
  let peer!: Socket;
  const server = createServer((socket) => {
    peer = socket;
    let buffer = '';
    socket.on('data', (chunk) => {
      const text = chunk.toString('latin1');
      writes.push(text);
      buffer += text;
      // An interrupt stops the "running" target: the pending resume's stop.
      if (text.includes('\x03')) socket.write(onInterrupt, 'latin1');
      for (let match = /\$([^#]*)#[0-9a-f]{2}/.exec(buffer); match; match = /\$([^#]*)#[0-9a-f]{2}/.exec(buffer)) {
        buffer = buffer.slice(match.index + match[0].length);
        received.push(match[1]!);
        const reply = answer(match[1]!);
        if (typeof reply === 'string') socket.write(`+${encodePacket(reply)}`, 'latin1');
        else if (reply) socket.write(reply.raw, 'latin1');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const socket = connect(path);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  return { socket, writes, received, send: (raw: string) => peer.write(raw, 'latin1'), close: () => { peer.destroy(); server.close(); }, server };
}

describe('GdbClient', () => {
  test('requests are answered in order; the ack of a reply rides in front of the next request', async () => {
    const stub = await scriptedStub((p) => (p === 'p10' ? '0010000000000000' : 'OK'));
    const client = new GdbClient(stub.socket);
    expect(await client.request('p10')).toBe('0010000000000000');
    expect(await client.request('Z0,1000,1')).toBe('OK');
    expect(stub.writes).toEqual([encodePacket('p10'), `+${encodePacket('Z0,1000,1')}`]);
    stub.close();
  });

  test('a pipeline goes out in one write and its replies come back in order, the resume\'s stop last', async () => {
    const stub = await scriptedStub((p) => (p.startsWith('p') ? `${p.slice(1)}00` : p === 'vCont;c' ? 'T05thread:p01.01;' : 'OK'));
    const client = new GdbClient(stub.socket);
    await client.request('?');
    stub.writes.length = 0;
    expect(await client.pipeline(['p10', 'p11', 'm1000,10'])).toEqual(['1000', '1100', 'OK']);
    expect(await client.pipeline(['M1000,1:00', 'P10=00'], 'vCont;c')).toEqual(['OK', 'OK', 'T05thread:p01.01;']);
    expect(stub.writes).toEqual([
      `+${encodePacket('p10')}${encodePacket('p11')}${encodePacket('m1000,10')}`,
      `+++${encodePacket('M1000,1:00')}${encodePacket('P10=00')}${encodePacket('vCont;c')}`,
    ]);
    stub.close();
  });

  test('a pipelined packet the stub naks fails the batch: the link could resend only its last packet', async () => {
    const stub = await scriptedStub((p) => (p === 'p10' ? { raw: '-' } : 'OK'));
    const client = new GdbClient(stub.socket);
    await expect(client.pipeline(['p10', 'p11'])).rejects.toThrow('the GDB stub rejected a pipelined packet (nak)');
    stub.close();
  });

  test('a nak of a single request is answered by sending it again', async () => {
    let naks = 0;
    const stub = await scriptedStub((p) => (p === 'p10' && naks++ === 0 ? { raw: '-' } : 'OK'));
    const client = new GdbClient(stub.socket);
    expect(await client.request('p10')).toBe('OK');
    expect(stub.received).toEqual(['p10', 'p10']);
    stub.close();
  });

  test('an interrupt reaches a target resumed by a pipeline, behind the batch\'s requests', async () => {
    // A slow stub: the batch's replies are still to come when the interrupt is sent.
    const stub = await scriptedStub(() => undefined, `+${encodePacket('OK')}+${encodePacket('OK')}+${encodePacket('T02thread:p01.01;')}`);
    const client = new GdbClient(stub.socket);
    expect(client.interrupt()).toBe(false);
    const replies = client.pipeline(['P10=00', 'M1000,1:00'], 'vCont;c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(client.interrupt()).toBe(true);
    expect(await replies).toEqual(['OK', 'OK', 'T02thread:p01.01;']);
    stub.close();
  });

  test('a request made while the guest runs waits for the stop: any byte would reach the stub and stop the guest', async () => {
    const stub = await scriptedStub((p) => (p === 'vCont;c' ? undefined : 'OK'));
    const client = new GdbClient(stub.socket);
    const stop = client.resume('vCont;c');
    const read = client.request('p10');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stub.received).toEqual(['vCont;c']);
    stub.send(`+${encodePacket('T05thread:p01.01;')}`); // the guest hits a breakpoint
    expect(await stop).toBe('T05thread:p01.01;');
    expect(await read).toBe('OK');
    expect(stub.received).toEqual(['vCont;c', 'p10']);
    stub.close();
  });

  test('a stub that stalls in the middle of a batch fails it after the timeout, naming the first packet it left unanswered', async () => {
    const stub = await scriptedStub((p) => (p === 'p10' ? '00' : undefined)); // answers p10, then nothing
    const client = new GdbClient(stub.socket, 100);
    await expect(client.pipeline(['p10', 'p11', 'p12'])).rejects.toThrow('the GDB stub did not answer "p11" within 100 ms');
    stub.close();
  });

  test('a stub that does not answer fails the request after the timeout, naming the packet', async () => {
    const stub = await scriptedStub(() => undefined);
    const client = new GdbClient(stub.socket, 100);
    await expect(client.request('qSupported:multiprocess+')).rejects.toThrow('the GDB stub did not answer "qSupported:multiprocess+" within 100 ms');
    stub.close();
  });

  test('a stub that goes away fails what waits and what comes later', async () => {
    const stub = await scriptedStub((p) => (p === 'vCont;c' ? undefined : 'OK'));
    const client = new GdbClient(stub.socket);
    const waiting = client.resume('vCont;c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    stub.close();
    await expect(waiting).rejects.toThrow('the GDB stub closed the connection (QEMU exited or was stopped)');
    await expect(client.request('p10')).rejects.toThrow('the GDB stub closed the connection');
    expect(client.closedByStub).toBe(true);
  });
});
