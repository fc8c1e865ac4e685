/**
 * Worker entry: the WES API (fetch) and the periodic sweep (scheduled). Re-exports the Durable
 * Object classes wrangler.toml binds.
 */
import { createApp } from "./app";

export { RunObject } from "./runs/run-object";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
