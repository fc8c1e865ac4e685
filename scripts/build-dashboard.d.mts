/** Types of scripts/build-dashboard.mjs (its size check is imported by test/node/dashboard-assets.test.ts). */
export const JS_BUDGET_BYTES: number;
export function dashboardJsBytes(folder?: string): number;
