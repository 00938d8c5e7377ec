// A machine held at a breakpoint is in QEMU's `debug` run state, and its migration stream says so: the
// `globalstate` section carries the source's run state for the destination to enter once loaded. QEMU 7.2
// loading a stream that says `debug` aborts ("invalid runstate transition: 'inmigrate' -> 'debug'",
// measured), and no QMP command takes a machine from `debug` to `paused` without running it. A machine
// paused by QMP `stop` differs from it by that section's run state only, so the saved stream says `paused`.

/** The section's id string as the stream spells it, its length byte first. */
const ANCHOR = Buffer.from('\x0bglobalstate', 'latin1');
/** After the id: instance id and version id (be32 each), then the run state's length (be32) and its bytes. */
const SIZE_AT = ANCHOR.length + 8;
const RUNSTATE_AT = SIZE_AT + 4;
const FROM = Buffer.from('debug\0', 'latin1');
const TO = Buffer.from('paused\0', 'latin1');
/** Bytes from the anchor to the end of what is read and written; the run state field is 100 bytes, zero-padded. */
const SPAN = RUNSTATE_AT + TO.length;

/**
 * Rewrites a `globalstate` run state `debug` into `paused` in a stream handed over in chunks of any size:
 * each push returns the bytes that can go on, holding back the few that may begin a section not yet whole.
 */
export class DebugRunstateRewriter {
  private held: Buffer = Buffer.alloc(0);
  /** How many sections were rewritten so far. */
  rewritten = 0;

  push(chunk: Buffer): Buffer {
    const bytes = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const whole = bytes.length - SPAN;
    for (let at = bytes.indexOf(ANCHOR); at !== -1 && at <= whole; at = bytes.indexOf(ANCHOR, at + 1)) {
      if (bytes.readUInt32BE(at + SIZE_AT) !== FROM.length || !bytes.subarray(at + RUNSTATE_AT, at + RUNSTATE_AT + FROM.length).equals(FROM)) continue;
      bytes.writeUInt32BE(TO.length, at + SIZE_AT);
      TO.copy(bytes, at + RUNSTATE_AT);
      this.rewritten++;
    }
    // A section starting in the last SPAN - 1 bytes is not whole yet: those bytes wait for the next chunk.
    const keep = Math.min(bytes.length, SPAN - 1);
    this.held = Buffer.from(bytes.subarray(bytes.length - keep));
    return bytes.subarray(0, bytes.length - keep);
  }

  /** What was held back, once the stream has ended. */
  end(): Buffer {
    const rest = this.held;
    this.held = Buffer.alloc(0);
    return rest;
  }
}
