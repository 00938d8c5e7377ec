// QMP wire format: one JSON object per line. Pure: bytes in, messages out.

export type QmpMessage =
  | { QMP: { version: { qemu: { major: number; minor: number; micro: number } }; capabilities: string[] } }
  | { return: unknown; id?: string }
  | { error: { class: string; desc: string }; id?: string }
  | { event: string; data?: Record<string, unknown>; timestamp?: { seconds: number; microseconds: number } };

export class QmpFramer {
  private readonly decoder = new TextDecoder();
  private pending = '';

  /** Feeds received bytes; returns the complete messages. Lines that are not JSON are skipped. */
  push(chunk: Uint8Array): QmpMessage[] {
    this.pending += this.decoder.decode(chunk, { stream: true });
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    const messages: QmpMessage[] = [];
    for (const line of lines) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      try {
        messages.push(JSON.parse(trimmed) as QmpMessage);
      } catch {
        // QMP only sends JSON; anything else is noise we cannot act on.
      }
    }
    return messages;
  }
}

export function encodeQmpCommand(execute: string, id: string, args?: Record<string, unknown>): string {
  return `${JSON.stringify(args ? { execute, arguments: args, id } : { execute, id })}\r\n`;
}
