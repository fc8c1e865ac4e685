import { DurableObject } from "cloudflare:workers";

/** Placeholder: the emulator's persisted state. */
export class EmulatorState extends DurableObject<Env> {}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__emulator/health") return Response.json({ ok: true });
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
