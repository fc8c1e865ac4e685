/** What every service front end of the Worker gets: the request, the settings, storage and the state object. */
import type { EmulatorVars } from "./settings";
import type { SignedParts } from "./sigv4";
import type { EmulatorState } from "./state";

/** One request on its way to a service. */
export interface FrontRequest {
  request: Request;
  url: URL;
  /** When it arrived (epoch ms): the signature clock and the request log use it. */
  arrivedAt: number;
  /** The id answered in x-amzn-requestid / x-amz-request-id. */
  requestId: string;
  vars: EmulatorVars;
  /** The emulated S3's object store. */
  objects: R2Bucket;
  state: DurableObjectStub<EmulatorState>;
}

/** The signed parts of a request whose body has been read. */
export function signedParts(front: FrontRequest, body: Uint8Array): SignedParts {
  return {
    method: front.request.method,
    path: front.url.pathname,
    query: front.url.search.slice(1),
    headers: front.request.headers,
    body,
    host: front.url.host,
  };
}
