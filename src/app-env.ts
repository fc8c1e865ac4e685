/** Hono environment of the API: bindings plus per-request variables. */
import type { Principal } from "./auth/principal";

/** Hono generic for the app and its middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** The caller, or null when anonymous (set by `identify`). */
    principal: Principal | null;
    /** Whether `identify` has run for this request (it is mounted on more than one route). */
    identified: boolean;
  };
}
