import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { proxyFor, proxyLabel, proxyPlan } from './proxy.js';

const via = (plan: ReturnType<typeof proxyPlan>, url: string) => proxyFor(plan, new URL(url))?.host;

describe('proxyPlan / proxyFor', () => {
  test('proxy: false goes direct whatever the environment says', () => {
    const plan = proxyPlan(false, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' });
    assert.equal(plan, undefined);
    assert.equal(via(plan, 'https://app.example.com/scim'), undefined);
  });

  test('proxy: URL is used for every target, NO_PROXY notwithstanding', () => {
    const plan = proxyPlan('http://user:pw@corp-proxy:3128', { NO_PROXY: '*' });
    assert.equal(via(plan, 'https://app.example.com/'), 'corp-proxy:3128');
    assert.equal(via(plan, 'http://127.0.0.1:8080/'), 'corp-proxy:3128');
  });

  test('proxy: true picks by scheme, lowercase first, and HTTP_PROXY serves https without HTTPS_PROXY', () => {
    const both = proxyPlan(true, {
      HTTPS_PROXY: 'http://s:1',
      https_proxy: 'http://lower:1',
      HTTP_PROXY: 'p:2',
    });
    assert.equal(via(both, 'https://a.example/'), 'lower:1');
    assert.equal(via(both, 'http://a.example/'), 'p:2', 'a scheme-less value reads as http://');
    const httpOnly = proxyPlan(true, { HTTP_PROXY: 'http://p:2' });
    assert.equal(via(httpOnly, 'https://a.example/'), 'p:2');
    assert.equal(via(proxyPlan(true, {}), 'https://a.example/'), undefined);
  });

  test('NO_PROXY: exact host, domain suffix, host:port, and *', () => {
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'internal.example, .corp.example 127.0.0.1:8443' };
    const plan = proxyPlan(true, env);
    assert.equal(via(plan, 'https://internal.example/'), undefined);
    assert.equal(via(plan, 'https://scim.internal.example/'), undefined);
    assert.equal(via(plan, 'https://a.corp.example/'), undefined);
    assert.equal(via(plan, 'https://127.0.0.1:8443/'), undefined);
    assert.equal(via(plan, 'https://127.0.0.1:9443/'), 'p:1', 'other port: proxied');
    assert.equal(via(plan, 'https://notinternal.example/'), 'p:1');
    assert.equal(via(proxyPlan(true, { ...env, NO_PROXY: '*' }), 'https://x.example/'), undefined);
  });

  test('a bad proxy URL is a ConfigError that does not echo it', () => {
    assert.throws(
      () => proxyPlan(true, { HTTPS_PROXY: 'http://u:hunter2@[oops' }),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message === 'HTTPS_PROXY is not a valid proxy URL (expected http://host:port)',
    );
    assert.throws(
      () => proxyPlan(true, { HTTP_PROXY: 'socks5://p:1' }),
      /must start with http:\/\/ or https:\/\//,
    );
  });

  test('proxyLabel names host and port only', () => {
    assert.equal(proxyLabel(new URL('http://u:secret@proxy.example:3128')), 'proxy.example:3128');
    assert.equal(proxyLabel(new URL('http://proxy.example')), 'proxy.example');
  });
});
