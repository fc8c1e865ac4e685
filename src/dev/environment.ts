/** Whether a deployment is a development stack: `WES_ENVIRONMENT` exactly `development`, nothing looser. */
export function isDevelopment(env: Pick<Env, "WES_ENVIRONMENT">): boolean {
  return env.WES_ENVIRONMENT?.trim() === "development";
}
