import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PagingServer, startPagingServer, USERS } from '../../test/servers/paging-server.js';
import { InvalidResponseError, NotFoundError } from '../core/errors.js';
import { type PaginateOptions, type PagingSpec, paginate, pathUnderBase, withQuery } from './paging.js';
import type { Transport } from './transport.js';
import { createHttpTransport, defaultTransportOptions } from './undici-transport.js';

let srv: PagingServer;
let api: Transport;
let base = '';
before(async () => {
  srv = await startPagingServer();
  base = `${srv.url}/api`;
  api = createHttpTransport({ ...defaultTransportOptions, baseUrl: base, headers: {} });
});
after(async () => {
  await api.close();
  await srv.close();
});

async function list(path: string, spec: PagingSpec, opts: Partial<PaginateOptions> = {}) {
  const from = srv.requests.length;
  const pages: unknown[][] = [];
  for await (const page of paginate((r) => api.send(r), { method: 'GET', path }, spec, {
    baseUrl: base,
    ...opts,
  }))
    pages.push(page);
  const ids = pages.flat().map((u) => (u as { id: string }).id);
  return { pages, ids, requests: srv.requests.slice(from) };
}

const ALL = USERS.map((u) => u.id);

describe('paginate: each style against a real app', () => {
  it('start-index (SCIM), following the items actually returned when the app caps the page size', async () => {
    const { ids, pages, requests } = await list('scim/Users?filter=active%20eq%20true', {
      style: 'start-index',
      itemsField: 'Resources',
      sizeParam: 'count',
      pageSize: 3,
    });
    assert.deepEqual(ids, ALL);
    assert.equal(pages.length, 4);
    assert.equal(requests.length, 4, 'stops at totalResults without asking for an empty page');
    assert.equal(requests[1], '/api/scim/Users?filter=active%20eq%20true&count=3&startIndex=3');
  });

  it('page-number, stopping at the page count', async () => {
    const spec: PagingSpec = {
      style: 'page-number',
      itemsField: 'users',
      pageParam: 'page_number',
      sizeParam: 'page_size',
      pageSize: 3,
      totalPagesField: 'page_count',
    };
    const { ids, requests } = await list('pages', spec);
    assert.deepEqual(ids, ALL);
    assert.equal(requests.length, 3);
  });

  it('next-page token (Zoom), stopping on an empty token', async () => {
    const spec: PagingSpec = {
      style: 'next-token',
      itemsField: 'users',
      tokenField: 'next_page_token',
      param: 'next_page_token',
    };
    const { ids, requests } = await list('token', spec);
    assert.deepEqual(ids, ALL);
    assert.equal(requests.length, 3);
  });

  it('Link header (GitHub): the body is the list, rel="next" is followed', async () => {
    const { ids, requests } = await list('link?per_page=3', { style: 'link-header' });
    assert.deepEqual(ids, ALL);
    assert.deepEqual(requests.slice(1), ['/api/link?page=2&per_page=3', '/api/link?page=3&per_page=3']);
  });

  it('next link in the body (Microsoft Graph @odata.nextLink, a key with a dot)', async () => {
    const { ids } = await list('odata', {
      style: 'next-link',
      itemsField: 'value',
      linkField: '@odata.nextLink',
    });
    assert.deepEqual(ids, ALL);
  });

  it('yields page by page: the next page is only fetched when the caller asks for it', async () => {
    const from = srv.requests.length;
    const pages = paginate(
      (r) => api.send(r),
      { method: 'GET', path: 'token' },
      {
        style: 'next-token',
        itemsField: 'users',
        tokenField: 'next_page_token',
        param: 'next_page_token',
      },
      { baseUrl: base },
    );
    const first = await pages.next();
    assert.equal((first.value as unknown[]).length, 3);
    assert.equal(srv.requests.length - from, 1);
    await pages.return(undefined);
    assert.equal(srv.requests.length - from, 1, 'stopping early sends nothing more');
  });
});

describe('paginate: apps that never stop', () => {
  it('a page repeated forever stops at the first repeat, in every style', async () => {
    const specs: PagingSpec[] = [
      { style: 'start-index', itemsField: 'Resources' },
      { style: 'page-number', itemsField: 'Resources' },
      { style: 'next-token', itemsField: 'Resources', tokenField: 'next_page_token', param: 't' },
      { style: 'link-header', itemsField: 'Resources' },
    ];
    for (const spec of specs) {
      const { pages, requests } = await list('forever', spec);
      assert.equal(pages.length, 1, spec.style);
      assert.equal(requests.length, 2, spec.style);
    }
  });

  it('tokens that cycle (A, B, A...) stop when a token comes back', async () => {
    const { ids, requests } = await list('cycle', {
      style: 'next-token',
      itemsField: 'users',
      tokenField: 'next',
      param: 'cursor',
    });
    assert.deepEqual(ids, ['u1', 'u2', 'u3', 'u4']);
    assert.ok(requests.length <= 3, `${requests.length} requests`);
  });

  it('an endless list stops at the page cap and says so', async () => {
    let limit = 0;
    const spec: PagingSpec = { style: 'next-token', itemsField: 'users', tokenField: 'next', param: 'page' };
    const { pages, requests } = await list('endless', spec, { maxPages: 5, onLimit: (n) => (limit = n) });
    assert.equal(pages.length, 5);
    assert.equal(requests.length, 5);
    assert.equal(limit, 5);
  });
});

describe('paginate: errors', () => {
  it('a next link to another host is refused, never followed', async () => {
    await assert.rejects(list('evil', { style: 'link-header' }), (e: unknown) => {
      assert.ok(e instanceof InvalidResponseError, `expected an InvalidResponseError, got ${String(e)}`);
      assert.match(
        e.message,
        /points outside http:\/\/127\.0\.0\.1:\d+\/api\/ \(to evil\.example\): not followed/,
      );
      return true;
    });
  });

  it('an error answer on page 2 throws the error tree (not found), after page 1 was yielded', async () => {
    const seen: unknown[][] = [];
    const spec: PagingSpec = { style: 'page-number', itemsField: 'users', totalField: 'total_records' };
    await assert.rejects(async () => {
      for await (const p of paginate((r) => api.send(r), { method: 'GET', path: 'gone-on-2' }, spec, {
        baseUrl: base,
      }))
        seen.push(p);
    }, NotFoundError);
    assert.equal(seen.length, 1);
  });

  it('an answer without a list where the spec says is an invalid response naming the field', async () => {
    await assert.rejects(
      list('not-a-list', { style: 'page-number', itemsField: 'users' }),
      /the answer has no list at users/,
    );
  });
});

describe('paging helpers', () => {
  it('withQuery replaces our parameters and leaves the rest of the query as encoded', () => {
    assert.equal(
      withQuery('Users?filter=a%20eq%20b&startIndex=1', { startIndex: 4, count: 2 }),
      'Users?filter=a%20eq%20b&startIndex=4&count=2',
    );
    assert.equal(withQuery('users', { page: undefined }), 'users');
  });

  it('pathUnderBase keeps links under the base path and refuses the rest', () => {
    assert.equal(
      pathUnderBase('https://a.test/v2/users?page=2', 'users', 'https://a.test/v2'),
      'users?page=2',
    );
    assert.equal(pathUnderBase('?page=3', 'users?page=2', 'https://a.test/v2/'), 'users?page=3');
    assert.throws(
      () => pathUnderBase('https://a.test/admin/users', 'users', 'https://a.test/v2'),
      /points outside/,
    );
    assert.throws(
      () => pathUnderBase('http://a.test/v2/users', 'users', 'https://a.test/v2'),
      /points outside/,
    );
    assert.throws(
      () => pathUnderBase('https://u:p@a.test/v2/users', 'users', 'https://a.test/v2'),
      /points outside/,
    );
  });
});
