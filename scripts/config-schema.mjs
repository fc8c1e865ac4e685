/**
 * `npm run config-schema`: prints the JSON Schema of the API Worker's variables (from
 * src/settings/schema.ts), e.g. for an editor or a deployment tool that validates `[vars]`.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./lib/import-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { envJsonSchema } = await importTs('export { envJsonSchema } from "./src/settings/json-schema.ts";', root);
console.log(JSON.stringify(envJsonSchema(), null, 2));
