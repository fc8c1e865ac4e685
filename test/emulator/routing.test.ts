/** One endpoint, many services: the signing service in the credential scope decides, else the request's shape. */
import { describe, expect, it } from "vitest";
import { routeService, signingService } from "../../emulator/src/services";
import { call, plain } from "./helpers";

const auth = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
});

describe("routing", () => {
  it("follows the credential scope of the Authorization header or of a presigned URL", () => {
    const q = new URLSearchParams();
    expect(routeService("GET", "/run/1", new Headers(auth("s3")), q)).toBe("s3");
    expect(routeService("GET", "/bucket/key", new Headers(auth("omics")), q)).toBe("omics");
    expect(routeService("POST", "/", new Headers(auth("logs")), q)).toBe("logs");
    expect(routeService("POST", "/", new Headers(auth("sts")), q)).toBe("sts");
    const presigned = new URLSearchParams({ "X-Amz-Credential": "AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/aws4_request" });
    expect(routeService("GET", "/run/1", new Headers(), presigned)).toBe("s3");
    expect(signingService(new Headers(auth("iam")), q)).toBe("iam");
  });

  it("falls back to the request's shape for unsigned requests and unknown services", () => {
    const q = new URLSearchParams();
    expect(routeService("POST", "/", new Headers({ "x-amz-target": "Logs_20140328.GetLogEvents" }), q)).toBe("logs");
    expect(routeService("POST", "/", new Headers(), q)).toBe("sts");
    expect(routeService("GET", "/run/123", new Headers(auth("iam")), q)).toBe("omics");
    expect(routeService("GET", "/some-bucket/key", new Headers(), q)).toBe("s3");
  });

  it("answers each service's own error to a wrongly scoped or unsigned call", async () => {
    const unsignedRun = await plain("/run/1234567");
    expect(unsignedRun.status).toBe(403);
    expect(unsignedRun.headers.get("x-amzn-errortype")).toBe("MissingAuthenticationTokenException");
    const unsignedLogs = await plain("/", { method: "POST", headers: { "x-amz-target": "Logs_20140328.GetLogEvents" }, body: "{}" });
    expect(unsignedLogs.status).toBe(400);
    expect(await unsignedLogs.json()).toMatchObject({ __type: "MissingAuthenticationTokenException" });
    const unsignedSts = await plain("/", { method: "POST", body: "Action=AssumeRole" });
    expect(await unsignedSts.text()).toContain("<Code>MissingAuthenticationToken</Code>");
    expect((await call("GET", "/run/1234567")).status).toBe(404);
  });
});
