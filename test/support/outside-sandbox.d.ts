/** `require` through Node's own loader, outside Jest's sandbox (see outside-sandbox.js). */
export function requireOutsideSandbox(id: string): unknown;
