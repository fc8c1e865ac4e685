/** Hono environment of the API: bindings plus per-request variables. */
import type { Principal } from "./auth/principal";

/** Hono generic for the app and its middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    principal: Principal | null;
  };
}
