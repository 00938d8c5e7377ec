// The editor JSON Schema, generated from the same definition the validator uses.
import type { ObjectNode, SchemaNode } from './schema-dsl.js';
import { defaultsSchema, scenarioSchema } from './schema.js';

type Json = Record<string, unknown>;

/** A schema for one YAML document: a scenario or a defaults document. */
export function scenarioJsonSchema(): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'vitest-guest scenario',
    anyOf: [toJsonSchema(scenarioSchema), toJsonSchema(defaultsSchema)],
  };
}

export function toJsonSchema(node: SchemaNode): Json {
  const description = node.description ? { description: node.description } : {};
  switch (node.kind) {
    case 'string': return { type: 'string', ...description, ...(node.pattern ? { pattern: node.pattern } : {}), ...(node.minLength ? { minLength: node.minLength } : {}) };
    case 'enum': return { type: 'string', enum: [...node.values], ...description };
    case 'integer':
    case 'number': return {
      type: node.kind, ...description,
      ...(node.minimum !== undefined ? { minimum: node.minimum } : {}),
      ...(node.maximum !== undefined ? { maximum: node.maximum } : {}),
      ...(node.kind === 'number' && node.exclusiveMinimum !== undefined ? { exclusiveMinimum: node.exclusiveMinimum } : {}),
    };
    case 'boolean': return { type: 'boolean', ...description };
    case 'array': return {
      type: 'array', items: toJsonSchema(node.items), ...description,
      ...(node.minItems ? { minItems: node.minItems } : {}), ...(node.uniqueItems ? { uniqueItems: true } : {}),
    };
    case 'object': return objectSchema(node);
    case 'union': return { anyOf: node.variants.map(toJsonSchema), ...description };
    case 'keyed': return { oneOf: Object.values(node.variants).map(objectSchema), ...description };
    case 'map': return { type: 'object', additionalProperties: toJsonSchema(node.values), ...description };
  }
}

function objectSchema(node: ObjectNode): Json {
  return {
    type: 'object',
    ...(node.description ? { description: node.description } : {}),
    properties: Object.fromEntries(Object.entries(node.properties).map(([key, value]) => [key, toJsonSchema(value)])),
    ...(node.required?.length ? { required: [...node.required] } : {}),
    additionalProperties: false,
  };
}
