// A loopback app that lists 7 users under /api in each way real apps page, and in the ways broken
// or hostile ones do: a page repeated forever, tokens that cycle, an endless list, a next link to
// another host, an error on page 2. It counts requests so tests can check when paging stops.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const USERS = Array.from({ length: 7 }, (_, i) => ({
  id: `u${i + 1}`,
  email: `user${i + 1}@example.com`,
}));

export interface PagingServer {
  url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): true {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
  return true;
}

const int = (v: string | null, d: number) => (v !== null && /^\d+$/.test(v) ? Number(v) : d);

export async function startPagingServer(): Promise<PagingServer> {
  const requests: string[] = [];
  let url = '';
  const handle = (req: IncomingMessage, res: ServerResponse): true => {
    requests.push(req.url ?? '');
    const u = new URL(req.url ?? '/', url);
    const q = u.searchParams;
    switch (u.pathname) {
      case '/api/scim/Users': {
        // SCIM: 1-based startIndex; the server caps count at 2 whatever is asked.
        const start = int(q.get('startIndex'), 1);
        const count = Math.min(2, int(q.get('count'), 2));
        const page = USERS.slice(start - 1, start - 1 + count);
        return send(res, 200, {
          totalResults: USERS.length,
          itemsPerPage: page.length,
          startIndex: start,
          Resources: page,
        });
      }
      case '/api/pages': {
        const size = int(q.get('page_size'), 3);
        const n = int(q.get('page_number'), 1);
        const page = USERS.slice((n - 1) * size, n * size);
        return send(res, 200, {
          page_count: Math.ceil(USERS.length / size),
          page_number: n,
          total_records: USERS.length,
          users: page,
        });
      }
      case '/api/token': {
        // Zoom: next_page_token, empty string on the last page.
        const at = int(q.get('next_page_token')?.replace('tok', '') ?? '0', 0);
        const page = USERS.slice(at, at + 3);
        const next = at + 3 < USERS.length ? `tok${at + 3}` : '';
        return send(res, 200, { page_size: 3, next_page_token: next, users: page });
      }
      case '/api/link': {
        // GitHub: the body is the list; Link: <...>; rel="next" with an absolute URL.
        const n = int(q.get('page'), 1);
        const page = USERS.slice((n - 1) * 3, n * 3);
        const links = [];
        if (n * 3 < USERS.length) links.push(`<${url}/api/link?page=${n + 1}&per_page=3>; rel="next"`);
        links.push(`<${url}/api/link?page=3&per_page=3>; rel="last"`);
        return send(res, 200, page, { link: links.join(', ') });
      }
      case '/api/odata': {
        const skip = int(q.get('$skiptoken'), 0);
        const next =
          skip + 3 < USERS.length ? { '@odata.nextLink': `${url}/api/odata?$skiptoken=${skip + 3}` } : {};
        return send(res, 200, { value: USERS.slice(skip, skip + 3), ...next });
      }
      case '/api/forever':
        // The same page, always claiming more: by total, by token and by link.
        return send(
          res,
          200,
          { totalResults: 1000, Resources: USERS.slice(0, 3), next_page_token: `t${requests.length}` },
          {
            link: `<${url}/api/forever?page=${requests.length + 1}>; rel="next"`,
          },
        );
      case '/api/cycle': {
        // Tokens A -> B -> A: each page differs from the one before, but the list never ends.
        const token = q.get('cursor') === 'A' ? 'B' : 'A';
        const page = token === 'A' ? USERS.slice(0, 2) : USERS.slice(2, 4);
        return send(res, 200, { users: page, next: token });
      }
      case '/api/endless': {
        const n = int(q.get('page')?.replace('p', '') ?? null, 1);
        return send(res, 200, { users: [{ id: `e${n}` }], next: `p${n + 1}` });
      }
      case '/api/evil':
        return send(res, 200, USERS.slice(0, 3), {
          link: '<http://evil.example/api/steal?page=2>; rel="next"',
        });
      case '/api/gone-on-2':
        if (q.get('page') === '2') return send(res, 404, { code: 1001, message: 'User list not found' });
        return send(res, 200, { total_records: 7, users: USERS.slice(0, 3) });
      case '/api/not-a-list':
        return send(res, 200, { users: { id: 'u1' } });
      default:
        return send(res, 404, { message: 'Not Found' });
    }
  };
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
