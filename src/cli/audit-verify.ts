// `iam audit verify FILE`: lists the writes that may have landed with no known outcome: intent lines
// whose correlation id has no outcome line after them (a killed run, a crash, a full disk).
// The file is read as a stream, so a log of any size runs in the memory of its unanswered intents.
// Exit codes: 0 every intent has an outcome; 1 some have none; 2 unreadable file or a line that is
// not whole JSON (named by its number).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CliIo } from './app.js';

interface Intent {
  time: string;
  correlationId: string;
  command: string;
  instance: string;
  target: string;
}

const text = (v: unknown): string => (typeof v === 'string' && v !== '' ? v : '-');

function targetOf(line: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof line.targetId === 'string') parts.push(`id ${line.targetId}`);
  if (typeof line.username === 'string') parts.push(`username ${line.username}`);
  if (typeof line.displayName === 'string') parts.push(`displayName ${line.displayName}`);
  const what = `${text(line.method)} ${text(line.path)}`;
  return `${parts.join(' ') || 'target unknown'} (${what})`;
}

const errnoOf = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'unreadable';

export async function runAuditVerify(file: string, io: CliIo): Promise<number> {
  const pending = new Map<string, Intent[]>();
  let lines = 0;
  let intents = 0;
  let outcomes = 0;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const raw of reader) {
      lines += 1;
      if (raw.trim() === '') continue;
      let line: unknown;
      try {
        line = JSON.parse(raw);
      } catch {
        line = undefined;
      }
      if (typeof line !== 'object' || line === null || Array.isArray(line)) {
        io.err(`iam: error: ${file}: line ${lines} is not a whole JSON object (a torn or foreign line)`);
        return 2;
      }
      const entry = line as Record<string, unknown>;
      const id = text(entry.correlationId);
      if (entry.event === 'intent') {
        intents += 1;
        const list = pending.get(id) ?? [];
        list.push({
          time: text(entry.time),
          correlationId: id,
          command: text(entry.command),
          instance: text(entry.instance),
          target: targetOf(entry),
        });
        pending.set(id, list);
      } else {
        // An outcome (older lines have no `event`): it answers every intent of its command before it.
        outcomes += 1;
        pending.delete(id);
      }
    }
  } catch (e) {
    io.err(`iam: error: ${file}: cannot read it (${errnoOf(e)})`);
    return 2;
  } finally {
    reader.close();
    stream.destroy();
  }
  let open = 0;
  for (const list of pending.values()) {
    for (const i of list) {
      open += 1;
      io.out(`${i.time} ${i.correlationId} ${i.command} instance ${i.instance} ${i.target}: no outcome`);
    }
  }
  const summary = `${lines} lines, ${intents} intents, ${outcomes} outcomes, ${open} intents with no outcome`;
  io.out(`iam: audit verify ${open === 0 ? 'ok' : 'found writes with no outcome'}: ${summary}`);
  return open === 0 ? 0 : 1;
}
