// QMP wire format: one JSON object per line. Pure: bytes in, messages out.
import { StringDecoder } from 'node:string_decoder';

export type QmpMessage =
  | { QMP: { version: { qemu: { major: number; minor: number; micro: number } }; capabilities: string[] } }
  | { return: unknown; id?: string }
  | { error: { class: string; desc: string }; id?: string }
  | { event: string; data?: Record<string, unknown>; timestamp?: { seconds: number; microseconds: number } };

export class QmpFramer {
  // Node's native decoder: a streaming TextDecoder costs several microseconds a call, and under a
  // breakpoint QEMU sends a STOP and a RESUME event for every hit.
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** Feeds received bytes; returns the complete messages. Lines that are not JSON are skipped. */
  push(chunk: Uint8Array): QmpMessage[] {
    const text = this.pending + this.decoder.write(chunk);
    const messages: QmpMessage[] = [];
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      const line = text.slice(start, newline).trim();
      start = newline + 1;
      if (!line) continue;
      try {
        messages.push(JSON.parse(line) as QmpMessage);
      } catch {
        // QMP only sends JSON; anything else is noise we cannot act on.
      }
    }
    this.pending = text.slice(start);
    return messages;
  }
}

export function encodeQmpCommand(execute: string, id: string, args?: Record<string, unknown>): string {
  return `${JSON.stringify(args ? { execute, arguments: args, id } : { execute, id })}\r\n`;
}
