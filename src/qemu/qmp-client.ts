// A small QMP client on a connected socket: greeting, commands with replies, events to a callback.
import type { Socket } from 'node:net';
import { QmpFramer, encodeQmpCommand, type QmpMessage } from './qmp-framer.js';

export type QmpEvent = Extract<QmpMessage, { event: string }>;

export class QmpClient {
  private readonly framer = new QmpFramer();
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private greetingSeen!: () => void;
  readonly greeting = new Promise<void>((resolve) => { this.greetingSeen = resolve; });

  constructor(private readonly socket: Socket, onEvent: (event: QmpEvent) => void) {
    socket.on('data', (chunk: Buffer) => {
      for (const message of this.framer.push(chunk)) {
        if ('QMP' in message) this.greetingSeen();
        else if ('event' in message) onEvent(message);
        else this.settle(message);
      }
    });
    socket.on('close', () => this.failAll(new Error('the QMP connection closed (QEMU exited)')));
  }

  /** Sends a command and resolves with its `return` value. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const id = `vg-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.write(encodeQmpCommand(command, id, args));
    });
  }

  private settle(message: Extract<QmpMessage, { return: unknown } | { error: unknown }>): void {
    const id = message.id;
    const waiter = id === undefined ? undefined : this.waiting.get(id);
    if (!waiter || id === undefined) return;
    this.waiting.delete(id);
    if ('error' in message) waiter.reject(new Error(`QMP ${message.error.class}: ${message.error.desc}`));
    else waiter.resolve(message.return);
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
