/** Who is calling. Every run belongs to the `user` that created it; admins see every run. */
export interface Principal {
  user: string;
  admin: boolean;
  scheme: "basic" | "bearer";
}

/** Result of reading the Authorization header. */
export type Authentication =
  | { kind: "anonymous" }
  | { kind: "authenticated"; principal: Principal }
  | { kind: "invalid"; reason: string };
