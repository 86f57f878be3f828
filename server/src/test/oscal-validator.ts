import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const schemaDir = path.resolve(import.meta.dirname, '../../test-data/oscal/schema');
const compiled = new Map<string, ValidateFunction>();

/** One of NIST's OSCAL 1.0.4 JSON schemas (draft-07) copied under `server/test-data/oscal/schema/`, compiled once. */
export function oscalValidator(model: 'ssp' | 'assessment-results' | 'poam'): ValidateFunction {
  const known = compiled.get(model);
  if (known) return known;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its default export is the module object under Node's ESM interop
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(schemaDir, `oscal_${model}_schema.json`), 'utf8')));
  compiled.set(model, validate);
  return validate;
}

/** The schema's complaints, short enough to read in a failing assertion. */
export const oscalErrors = (validate: ValidateFunction) =>
  (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message}`);
