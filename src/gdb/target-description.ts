// GDB target descriptions (target.xml and the files it includes) -> register numbers, sizes and `g` packet
// offsets. Pure, and only the XML that GDB stubs serve: elements, attributes, comments, declarations.

/** One `<reg>` element as written; `regnum` only when the document sets it. */
export interface RegisterDef {
  name: string;
  bitsize: number;
  regnum?: number;
  type?: string;
  group?: string;
}

/** What one description document holds: its architecture, the files it includes, its registers in order. */
export interface TargetXml {
  architecture?: string;
  includes: string[];
  registers: RegisterDef[];
}

/** A register placed in the `g` packet: `offset` is in bytes (twice that in hex digits). */
export interface RegisterInfo {
  name: string;
  regnum: number;
  bitsize: number;
  offset: number;
}

export interface RegisterMap {
  /** Registers by regnum, in `g` packet order. */
  registers: readonly RegisterInfo[];
  byName: ReadonlyMap<string, RegisterInfo>;
  /** Size of the `g` reply in bytes: the sum of all register sizes. */
  gPacketBytes: number;
}

const COMMENT = /<!--[\s\S]*?-->/g;
const DOCTYPE = /<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/gi;
const TAG = /<([^>]*)>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Parses one description document, e.g. QEMU's
 * `<target><architecture>i386:x86-64</architecture><xi:include href="i386-64bit.xml"/></target>` or a
 * `<feature>` with `<reg name="rip" bitsize="64" type="code_ptr"/>` elements (attributes in any order, either
 * quote). Comments go first, so a commented-out `<reg>` is not a register. Throws on a `<reg>` without a
 * name or whole-byte bitsize, and on an unterminated comment.
 */
export function parseTargetXml(xml: string): TargetXml {
  const text = xml.replace(COMMENT, '');
  const open = text.indexOf('<!--');
  if (open !== -1) throw new Error(`unterminated XML comment in target description: ${JSON.stringify(text.slice(open, open + 60))}`);
  const body = text.replace(DOCTYPE, '');
  const doc: TargetXml = { includes: [], registers: [] };
  for (const [tag, inside] of body.matchAll(TAG)) {
    // `<?xml ...?>` and end tags have no element name here; they carry nothing we need.
    const element = /^[\w:.-]+/.exec(inside!)?.[0];
    if (element === 'xi:include') doc.includes.push(required(attributes(inside!), 'href', tag));
    else if (element === 'reg') doc.registers.push(toRegister(attributes(inside!), tag));
  }
  const architecture = /<architecture\s*>([^<]*)<\/architecture\s*>/.exec(body)?.[1]?.trim();
  if (architecture) doc.architecture = architecture;
  return doc;
}

/**
 * Numbers and places the registers of all documents, given in document order (target.xml, then its includes
 * as they appear): an explicit `regnum` sets the number, otherwise it is one more than the previous register's,
 * across files. Offsets add up the sizes of the lower-numbered registers; this assumes `g` carries every
 * described register, as QEMU's x86_64 stub does. Throws on a duplicate name or number.
 */
export function buildRegisterMap(documents: readonly TargetXml[]): RegisterMap {
  const numbered: Omit<RegisterInfo, 'offset'>[] = [];
  let next = 0;
  for (const reg of documents.flatMap((doc) => doc.registers)) {
    const regnum = reg.regnum ?? next;
    numbered.push({ name: reg.name, regnum, bitsize: reg.bitsize });
    next = regnum + 1;
  }
  numbered.sort((a, b) => a.regnum - b.regnum);
  const byName = new Map<string, RegisterInfo>();
  const registers: RegisterInfo[] = [];
  let offset = 0;
  for (const reg of numbered) {
    const previous = registers[registers.length - 1];
    if (previous?.regnum === reg.regnum) throw new Error(`registers "${previous.name}" and "${reg.name}" both have regnum ${reg.regnum}`);
    if (byName.has(reg.name)) throw new Error(`register "${reg.name}" is described twice`);
    const info = { ...reg, offset };
    registers.push(info);
    byName.set(reg.name, info);
    offset += reg.bitsize / 8;
  }
  return { registers, byName, gPacketBytes: offset };
}

function attributes(inside: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, doubleQuoted, singleQuoted] of inside.matchAll(ATTRIBUTE)) found.set(name!, doubleQuoted ?? singleQuoted ?? '');
  return found;
}

function required(attrs: Map<string, string>, name: string, tag: string): string {
  const value = attrs.get(name);
  if (!value) throw new Error(`${tag} has no ${name} attribute`);
  return value;
}

function toRegister(attrs: Map<string, string>, tag: string): RegisterDef {
  const reg: RegisterDef = { name: required(attrs, 'name', tag), bitsize: wholeNumber(required(attrs, 'bitsize', tag), 'bitsize', tag) };
  if (reg.bitsize === 0 || reg.bitsize % 8 !== 0) throw new Error(`${tag}: bitsize must be a positive multiple of 8, got ${reg.bitsize}`);
  const regnum = attrs.get('regnum');
  if (regnum !== undefined) reg.regnum = wholeNumber(regnum, 'regnum', tag);
  const type = attrs.get('type');
  if (type !== undefined) reg.type = type;
  const group = attrs.get('group');
  if (group !== undefined) reg.group = group;
  return reg;
}

function wholeNumber(value: string, name: string, tag: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${tag}: ${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}
