// A tiny schema language: one definition drives both the validator (which walks YAML nodes so
// every error keeps its source position) and the JSON Schema published for editors.

export type SchemaNode =
  | { kind: 'string'; description?: string; pattern?: string; patternHint?: string; minLength?: number }
  /** `aliases`: other words for a value, which a did-you-mean hint turns into it. */
  | { kind: 'enum'; description?: string; values: readonly string[]; aliases?: Readonly<Record<string, string>> }
  | { kind: 'integer'; description?: string; minimum?: number; maximum?: number }
  | { kind: 'number'; description?: string; minimum?: number; maximum?: number; exclusiveMinimum?: number }
  | { kind: 'boolean'; description?: string }
  | { kind: 'array'; description?: string; items: SchemaNode; minItems?: number; uniqueItems?: boolean }
  | ObjectNode
  | { kind: 'union'; description?: string; expected: string; variants: readonly SchemaNode[] }
  | { kind: 'keyed'; description?: string; variants: Readonly<Record<string, ObjectNode>> }
  | { kind: 'map'; description?: string; values: SchemaNode };

export interface ObjectNode {
  kind: 'object';
  description?: string;
  properties: Readonly<Record<string, SchemaNode>>;
  required?: readonly string[];
}

export const str = (description?: string, extra: Partial<Extract<SchemaNode, { kind: 'string' }>> = {}): SchemaNode =>
  ({ kind: 'string', description, ...extra });
export const int = (description: string, minimum?: number, maximum?: number): SchemaNode =>
  ({ kind: 'integer', description, minimum, maximum });
export const bool = (description: string): SchemaNode => ({ kind: 'boolean', description });
export const oneOfStrings = (values: readonly string[], description?: string, aliases?: Readonly<Record<string, string>>): SchemaNode =>
  ({ kind: 'enum', values, description, ...(aliases ? { aliases } : {}) });
export const obj = (properties: Record<string, SchemaNode>, required: string[] = [], description?: string): ObjectNode =>
  ({ kind: 'object', properties, required, description });
export const arr = (items: SchemaNode, description?: string, minItems?: number, uniqueItems?: boolean): SchemaNode =>
  ({ kind: 'array', items, description, minItems, ...(uniqueItems ? { uniqueItems } : {}) });
/** A value that may take several shapes; `expected` describes them all for error messages. */
export const union = (expected: string, variants: SchemaNode[], description?: string): SchemaNode =>
  ({ kind: 'union', expected, variants, description });
/** A map identified by which of several keys it holds, e.g. `{console: ...}` vs `{code: ...}`. */
export const keyed = (variants: Record<string, ObjectNode>, description?: string): SchemaNode =>
  ({ kind: 'keyed', variants, description });

/** A map whose keys are names (checked elsewhere, e.g. register names) and whose values share one schema. */
export const mapOf = (values: SchemaNode, description?: string): SchemaNode => ({ kind: 'map', values, description });

/** Short human description of what a node accepts, used in "expected X" messages. */
export function describeExpected(node: SchemaNode): string {
  switch (node.kind) {
    case 'string': return node.patternHint ?? 'a string';
    case 'enum': return `one of ${node.values.join(', ')}`;
    case 'integer': return rangeText('an integer', node.minimum, node.maximum);
    case 'number': return node.exclusiveMinimum !== undefined
      ? `a number > ${node.exclusiveMinimum}${node.maximum !== undefined ? ` and <= ${node.maximum}` : ''}`
      : rangeText('a number', node.minimum, node.maximum);
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object': return 'a map';
    case 'union': return node.expected;
    case 'keyed': return `a map with one of the keys ${Object.keys(node.variants).join(', ')}`;
    case 'map': return 'a map';
  }
}

function rangeText(what: string, min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} >= ${min}`;
  if (max !== undefined) return `${what} <= ${max}`;
  return what;
}
