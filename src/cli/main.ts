#!/usr/bin/env node
// The `iam` executable: runs the CLI on this process's argv and streams.
import { setFlagsFromString } from 'node:v8';
import { runCli } from './app.js';

// undici's HTTP parser is WebAssembly: V8 compiles it quickly (Liftoff), then again optimised in the
// background, and a process cannot exit before that second compile ends (~100 ms of every single
// command here, measured). The first compile alone parses as fast for our answers (batch CPU equal in
// one run), so the executable keeps it; the library leaves an embedding program's V8 flags alone.
// Only on V8 11 to 13 (Node 20 to 24), which have the flag: V8 prints an error for one it lacks.
const v8Major = Number(process.versions.v8.split('.')[0]);
if (v8Major >= 11 && v8Major <= 13) setFlagsFromString('--liftoff-only');

// A reader that stops early (`iam ... | head -1`) closes the pipe: not a crash with a stack trace.
// The rest of the output is dropped and the commands still run to the end (never cut mid-change).
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

runCli(process.argv.slice(2), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  isTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns,
  env: process.env,
  cwd: process.cwd(),
  stdin: process.stdin,
  progress: process.stderr.isTTY ? (l) => process.stderr.write(`\r\x1b[K${l}`) : undefined,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Never a stack trace: one line, exit 2.
    process.stderr.write(`iam: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
