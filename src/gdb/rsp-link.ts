// Client side of the RSP link: frames received bytes into packets and owns acks and retransmission. Pure: it
// never writes; the socket adapter writes the strings it returns (latin1, one char per byte).
import { bytesToLatin1, checksum, decodePayload, encodePacket } from './rsp-codec.js';

/** What the stub sent: a packet or `%` notification (payload decoded), an ack, a nak, or a corrupt frame. */
export type RspInput =
  | { kind: 'packet'; payload: string }
  | { kind: 'notification'; payload: string }
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'bad-checksum' };

const HASH = 0x23;
const DOLLAR = 0x24;

/** Naks in a row for one packet after which `retransmit` gives up. */
export const MAX_NAKS = 3;

/**
 * Frames `$payload#xx` packets and `%payload#xx` notifications out of a byte stream cut anywhere, skipping
 * noise between frames. A `$` inside a frame starts a new one: the stub started over, and the partial frame
 * is dropped unacked.
 *
 * Acks are deferred, never written on receive: QEMU 7.2 has no no-ack mode, and any byte reaching it while
 * the VM runs stops the VM, a late `+` included. So each good packet queues `+` and each corrupt one `-`;
 * they go out in front of the next `send`/`retransmit`, or through `takePendingAcks` once the target is known
 * to be stopped. Notifications are never acked, as the protocol says.
 */
export class RspLink {
  private state: 'between' | 'body' | 'checksum' = 'between';
  private frame: 'packet' | 'notification' = 'packet';
  private body = '';
  private sum = '';
  private pendingAcks = '';
  private lastPacket: string | undefined;
  private naks = 0;

  /** Feeds received bytes; returns what they completed, in order. */
  receive(bytes: Uint8Array): RspInput[] {
    const inputs: RspInput[] = [];
    const text = bytesToLatin1(bytes);
    for (let i = 0; i < text.length; ) {
      if (this.state === 'body') {
        // A frame body is taken as one slice up to its `#` (or a `$` starting over), not char by char:
        // a string grown by one char at a time is a rope that every later use of the payload must flatten.
        let end = i;
        while (end < text.length && text.charCodeAt(end) !== HASH && text.charCodeAt(end) !== DOLLAR) end++;
        this.body += text.slice(i, end);
        i = end;
        if (i === text.length) break;
        if (text.charCodeAt(i) === HASH) {
          this.state = 'checksum';
          i++;
          continue;
        }
        // A `$`: the stub started over, handled below as everywhere.
      }
      const c = text[i++]!;
      if (c === '$') {
        this.start('packet');
      } else if (this.state === 'checksum') {
        this.sum += c;
        if (this.sum.length === 2) inputs.push(this.finish());
      } else if (c === '%') {
        this.start('notification');
      } else if (c === '+') {
        this.naks = 0;
        inputs.push({ kind: 'ack' });
      } else if (c === '-') {
        this.naks++;
        inputs.push({ kind: 'nak' });
      }
      // Any other byte between frames is noise: skipped.
    }
    return inputs;
  }

  /** The wire bytes for a packet: pending acks, then the framed payload. Remembered for `retransmit`. */
  send(payload: string): string {
    this.lastPacket = encodePacket(payload);
    this.naks = 0;
    return this.takePendingAcks() + this.lastPacket;
  }

  /** The last packet again (after a nak), with pending acks; throws once the stub has naked it MAX_NAKS times in a row. */
  retransmit(): string {
    if (this.lastPacket === undefined) throw new Error('nothing to retransmit: no packet was sent on this link yet');
    if (this.naks >= MAX_NAKS) {
      throw new Error(`the GDB stub rejected packet ${JSON.stringify(this.lastPacket.slice(0, 60))} ${this.naks} times in a row (nak); the connection corrupts data or the stub cannot read the packet`);
    }
    return this.takePendingAcks() + this.lastPacket;
  }

  /** Returns and clears the queued acks, for the caller to write when the target is stopped. */
  takePendingAcks(): string {
    const acks = this.pendingAcks;
    this.pendingAcks = '';
    return acks;
  }

  private start(frame: 'packet' | 'notification'): void {
    this.state = 'body';
    this.frame = frame;
    this.body = '';
    this.sum = '';
  }

  private finish(): RspInput {
    this.state = 'between';
    const { frame, body, sum } = this;
    let payload: string | undefined;
    if (/^[0-9a-fA-F]{2}$/.test(sum) && parseInt(sum, 16) === checksum(body)) {
      try {
        payload = decodePayload(body);
      } catch {
        // A malformed escape or run length with a matching checksum is corrupt all the same: GDB naks it too.
      }
    }
    if (frame === 'packet') this.pendingAcks += payload === undefined ? '-' : '+';
    return payload === undefined ? { kind: 'bad-checksum' } : { kind: frame, payload };
  }
}
