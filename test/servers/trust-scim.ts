// Small SCIM apps that behave the way some real ones do, each the real SCIM service of
// scim-server.ts behind one express layer at /scim/v2 (the layer sees paths below the root):
// - `ignores-filter`: answers a filtered list with every resource (`all`) or only the first (`first`);
// - `strict-patch`: applies PATCH exactly as RFC 7644 3.5.2 words it (strict-patch.ts);
// - `plain-404`: anything outside /scim/v2 is a web server's 404 page (HTML, text, empty, or a
//   framework's JSON), as behind a wrong baseUrl;
// - `created-no-id`: answers a create with 201 and no id (a body without it, or no body), the user
//   being created all the same;
// - `escaped-500`: answers 500 to a filter whose value carries an escaped `"` or `\`.
import express, { type NextFunction, type Request, type Response } from 'express';
import { createScimApp, type RecordedRequest, type ScimApp, type ScimTestServer } from './scim-server.js';
import { isRecord, listen, recordRequests, scimErrors, sendScimError, storeHandle } from './scim-support.js';
import { applyPatch, PatchError } from './strict-patch.js';

type Layer = (req: Request, res: Response, next: NextFunction) => void;

export type TrustQuirk =
  | { kind: 'ignores-filter'; answer: 'all' | 'first' }
  | { kind: 'strict-patch' }
  | { kind: 'plain-404'; page: 'html' | 'text' | 'empty' | 'framework-json' }
  | { kind: 'created-no-id'; body: 'no-id' | 'empty' }
  | { kind: 'escaped-500' };

const ROOT = '/scim/v2';

const isList = (req: Request) => req.method === 'GET' && /^\/(Users|Groups)\/?$/i.test(req.path);

/** Answers its filtered lists as if there were no filter; `first`: only the first resource. */
function ignoresFilter(answer: 'all' | 'first'): Layer {
  return (req, res, next) => {
    const url = new URL(req.url, 'http://loopback');
    if (!isList(req) || !url.searchParams.has('filter')) return next();
    url.searchParams.delete('filter');
    req.url = `${url.pathname}${url.search}`;
    if (answer === 'first') {
      const json = res.json.bind(res);
      res.json = (body?: unknown) => {
        if (isRecord(body) && Array.isArray(body.Resources)) {
          const first = body.Resources.slice(0, 1);
          body.Resources = first;
          body.totalResults = first.length;
        }
        return json(body);
      };
    }
    next();
  };
}

/** PATCH /Users/{id} applied by strict-patch.ts, then stored through the service's own PUT. */
function strictPatch(scim: () => ScimApp): Layer {
  return (req, res, next) => {
    const m = /^\/Users\/([^/]+)$/i.exec(req.path);
    if (req.method !== 'PATCH' || !m) return next();
    const id = decodeURIComponent(m[1] as string);
    const user = scim()
      .users()
      .find((u) => u.id === id);
    if (!user) return sendScimError(res, 404, `User ${id} not found`);
    try {
      const { meta: _meta, groups: _groups, ...patched } = applyPatch(user, req.body?.Operations);
      req.method = 'PUT';
      req.body = patched;
      next();
    } catch (e) {
      if (!(e instanceof PatchError)) throw e;
      sendScimError(res, 400, e.message, e.scimType);
    }
  };
}

function createdNoId(body: 'no-id' | 'empty'): Layer {
  return (req, res, next) => {
    if (req.method !== 'POST' || !/^\/Users\/?$/i.test(req.path)) return next();
    const json = res.json.bind(res);
    res.json = (answer?: unknown) => {
      if (res.statusCode !== 201 || !isRecord(answer)) return json(answer);
      if (body === 'empty') {
        res.end();
        return res;
      }
      const { id: _id, ...rest } = answer;
      return json(rest);
    };
    next();
  };
}

/** A filter literal holding `\"` or `\\`: the escaping this app's query builder breaks on. */
const escaped500: Layer = (req, res, next) => {
  const filter = new URL(req.url, 'http://loopback').searchParams.get('filter');
  if (filter === null || !/\\["\\]/.test(filter)) return next();
  sendScimError(res, 500, 'Internal Server Error');
};

const PAGES: Record<string, { type?: string; body: string }> = {
  html: {
    type: 'text/html',
    body: '<html><head><title>404 Not Found</title></head><body>nginx</body></html>',
  },
  text: { type: 'text/plain', body: 'Cannot GET this path' },
  empty: { body: '' },
  'framework-json': {
    type: 'application/json',
    body: JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', status: 404, error: 'Not Found', path: '/x' }),
  },
};

function plainNotFound(page: keyof typeof PAGES): Layer {
  return (_req, res) => {
    const p = PAGES[page] ?? { body: '' };
    if (p.type) res.type(p.type);
    res.status(404).send(p.body);
  };
}

export async function startTrustServer(quirk: TrustQuirk): Promise<ScimTestServer> {
  const token = 'trust-test-token';
  const requests: RecordedRequest[] = [];
  let url = '';
  const scim = createScimApp({ token, patch: true, url: () => url });
  const layers: Record<TrustQuirk['kind'], Layer> = {
    'ignores-filter': ignoresFilter(quirk.kind === 'ignores-filter' ? quirk.answer : 'all'),
    'strict-patch': strictPatch(() => scim),
    'plain-404': (_req, _res, next) => next(),
    'created-no-id': createdNoId(quirk.kind === 'created-no-id' ? quirk.body : 'no-id'),
    'escaped-500': escaped500,
  };
  const app = express();
  app.use(recordRequests(requests));
  app.use(ROOT, layers[quirk.kind], scim.app);
  app.use(
    quirk.kind === 'plain-404'
      ? plainNotFound(quirk.page)
      : (_req: Request, res: Response) => sendScimError(res, 404, 'Endpoint not found'),
  );
  app.use(scimErrors);
  const server = await listen(app);
  url = `${server.origin}${ROOT}`;
  return { url, token, ...storeHandle(scim, requests, server.close) };
}
