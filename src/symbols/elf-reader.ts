// Little-endian reads of an ELF file's fields, each checked against the file's end, and the error a bad one raises.
import { SymbolError, hex } from './symbol-table.js';

/** Little-endian field access that refuses to read outside the file. */
export class ElfReader {
  readonly #view: DataView;

  constructor(readonly bytes: Uint8Array, readonly elfClass: 32 | 64) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(offset: number, length: number, what: string): void {
    if (offset + length > this.bytes.length) {
      throw corrupt(`${what} at offset ${hex(BigInt(offset))}, ${length} bytes long, ends past the end of the file (${this.bytes.length} bytes): it is truncated or corrupt`);
    }
  }

  u8(offset: number): number {
    this.need(offset, 1, 'a field');
    return this.#view.getUint8(offset);
  }

  u16(offset: number): number {
    this.need(offset, 2, 'a field');
    return this.#view.getUint16(offset, true);
  }

  u32(offset: number): number {
    this.need(offset, 4, 'a field');
    return this.#view.getUint32(offset, true);
  }

  u64(offset: number): bigint {
    this.need(offset, 8, 'a field');
    return this.#view.getBigUint64(offset, true);
  }

  /** An address-sized file offset or size as a number; anything beyond the file is reported when it is used. */
  offset(at: number): number {
    const value = this.elfClass === 64 ? this.u64(at) : BigInt(this.u32(at));
    // Clamp absurd 64-bit values so bounds checks still work on plain numbers.
    return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
  }
}

export function corrupt(detail: string): SymbolError {
  return new SymbolError('corrupt-elf', `corrupt ELF file: ${detail}`);
}

