// Runs Microsoft's SCIM validation Postman collection (AzureAD/SCIMReferenceCode) with newman's
// library API against a gateway, without its "Get Token" folder (the token is passed as the
// collection's `token` variable). Answers every assertion as `<request> / <assertion>` with its outcome.
import { createRequire } from 'node:module';
import { readSuite, SUITE_FILES } from './suites.js';

interface Assertion {
  assertion: string;
  error?: { message: string };
}
interface Execution {
  item: { name: string };
  assertions?: Assertion[];
  requestError?: { message: string };
}
interface Summary {
  run: { executions: Execution[] };
}
type Newman = { run(opts: object, cb: (err: Error | null, summary: Summary) => void): void };

const newman = createRequire(import.meta.url)('newman') as Newman;

export interface AssertionResult {
  name: string;
  passed: boolean;
  message?: string;
}

type Item = { name: string; item?: Item[] };

export async function runMicrosoftSuite(url: string, token: string): Promise<AssertionResult[]> {
  const collection = JSON.parse(readSuite(SUITE_FILES.microsoft)) as { item: Item[] };
  collection.item = collection.item.filter((i) => i.name !== 'Get Token');
  const u = new URL(url);
  const values = [
    { key: 'Protocol', value: u.protocol.replace(':', '') },
    { key: 'Server', value: u.hostname },
    { key: 'Port', value: `:${u.port}` },
    { key: 'Api', value: u.pathname.replace(/^\/|\/$/g, '') },
    { key: 'token', value: token },
  ];
  const summary = await new Promise<Summary>((done, fail) =>
    newman.run({ collection, environment: { values }, reporters: [], timeoutRequest: 30_000 }, (err, s) =>
      err ? fail(err) : done(s),
    ),
  );
  // Names repeat in the collection (two "Get group by id"): numbered in run order.
  const seen = new Map<string, number>();
  return summary.run.executions.flatMap((e) => {
    const n = (seen.get(e.item.name) ?? 0) + 1;
    seen.set(e.item.name, n);
    const request = n > 1 ? `${e.item.name} #${n}` : e.item.name;
    return (e.assertions ?? []).map((a) => ({
      name: `${request} / ${a.assertion}`,
      passed: !a.error,
      ...(a.error ? { message: a.error.message } : {}),
    }));
  });
}
