/** Types of gen-api-types.mjs (for the test that checks the generated file is current). */
export function generate(doc: unknown): Promise<string>;
export const OPENAPI_PATH: string;
export const OUTPUT_PATH: string;
