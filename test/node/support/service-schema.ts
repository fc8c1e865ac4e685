/**
 * Validates answers of the service's own routes against the schemas GET /openapi.json declares
 * (OpenAPI 3.1 = JSON Schema 2020-12, so Ajv's 2020 dialect reads them as they are), and rejects
 * properties those schemas do not declare (strictness.ts), as the WES answers are checked.
 */
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { undeclaredProperties, type Schema } from "./strictness";

/** A validator over one served document. */
export function schemaValidator(document: Record<string, unknown>): (name: string, body: unknown) => void {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int64", true);
  const id = "urn:wes-healthomics:openapi";
  ajv.addSchema({ ...document, $id: id });
  const schemas = (document.components as { schemas: Record<string, Schema> }).schemas;
  const resolve = (ref: string) => (ref.startsWith("#/components/schemas/") ? schemas[ref.slice("#/components/schemas/".length)] : undefined);
  return (name, body) => {
    const validate = ajv.getSchema(`${id}#/components/schemas/${name}`);
    if (!validate) throw new Error(`the document has no schema ${name}`);
    expect(validate(body), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(undeclaredProperties(schemas[name]!, body, resolve), `${name}: undeclared properties`).toEqual([]);
  };
}
