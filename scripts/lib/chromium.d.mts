/** Types of scripts/lib/chromium.mjs. */
export const CHROMIUM_FLAGS: string[];
export function findChromium(): string | undefined;
export const HOW_TO_INSTALL: string;
