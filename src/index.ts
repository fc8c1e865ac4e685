import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";

/** Placeholder: the run's Durable Object. */
export class RunObject extends DurableObject<Env> {}

const app = new Hono<{ Bindings: Env }>();
app.get("/ga4gh/wes/v1/service-info", (c) => c.json({ ok: true }));
export default app;
