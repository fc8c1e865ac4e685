/** Response helpers every service's front end shares. */

/**
 * A dropped connection. Failing before the headers go out is not enough: wrangler dev's proxy
 * answers that with its own 500 (and silently retries GETs). So the headers and a first byte go
 * out, then the body stream fails: the client sees the connection cut mid-response.
 */
export function dropped(): Response {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode("{"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      controller.error(new Error("connection dropped (injected fault)"));
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}

/** Waits `ms` (injected latency). */
export async function delay(ms: number): Promise<void> {
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}
