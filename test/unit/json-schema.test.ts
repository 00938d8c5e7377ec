// The published editor schema is the validator's own definition, and stays in sync with it.
import { describe, test, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';

describe('schema/scenario.schema.json', () => {
  test('matches what the schema definition generates (run `npm run schema` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(scenarioJsonSchema());
  });

  test('describes the expectation kinds and refuses unknown keys', () => {
    const scenario = (scenarioJsonSchema().anyOf as Record<string, any>[])[0]!;
    const kinds = scenario.properties.expect.items.oneOf.map((variant: { required: string[] }) => variant.required[0]);
    expect(kinds).toEqual(['console', 'debugcon', 'firmware', 'virtio', 'code', 'never', 'breakpoint', 'watch', 'send', 'screen', 'uktest', 'ktap', 'results']);
    expect(scenario.additionalProperties).toBe(false);
    expect(scenario.properties.machine.properties.type.enum).toEqual(['pc', 'q35', 'microvm', 'virt']);
  });
});
