// The package's version, read once from package.json (`iam --version`, the HTTP API, the MCP server).
import { readFileSync } from 'node:fs';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
