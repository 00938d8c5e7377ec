// Writes schema/scenario.schema.json from the compiled schema definition (run `npm run schema`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../dist/src/scenario/json-schema.js';

mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../schema/scenario.schema.json', import.meta.url), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
