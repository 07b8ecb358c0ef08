// A command's input as a zod schema, built from the registry's plain description where a caller
// validates input with zod (an HTTP server, a generated API description). Kept out of the registry
// so that reading the registry (every CLI start) does not load zod.
import { z } from 'zod';
import type { InputShape } from './registry.js';

export function inputSchema(shape: InputShape): z.ZodObject {
  return z.object(
    Object.fromEntries(
      Object.entries(shape).map(([key, k]) => {
        const value = k.optional ? z.unknown().optional() : z.unknown();
        return [key, value.describe(k.description)];
      }),
    ),
  );
}
