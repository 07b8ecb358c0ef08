import { answer, githubHook, graphHook, type Row, slackHook } from './vendor-hooks.js';

const GH_DOCS = 'https://docs.github.com/rest';

export const TABLE_B: Row[] = [
  [
    'Graph 404',
    answer(404, {
      error: {
        code: 'Request_ResourceNotFound',
        message:
          "Resource '8f3a' does not exist or one of its queried reference-property objects are not present.",
        innerError: { 'request-id': 'r1' },
      },
    }),
    graphHook,
    'not-found',
    false,
    'Request_ResourceNotFound',
  ],
  [
    'Graph 400 ObjectConflict',
    answer(400, {
      error: {
        code: 'Request_BadRequest',
        message: 'Another object with the same value for property userPrincipalName already exists.',
        details: [
          {
            code: 'ObjectConflict',
            message: 'Another object with the same value for property userPrincipalName already exists.',
            target: 'userPrincipalName',
          },
        ],
      },
    }),
    graphHook,
    'conflict',
    false,
    'ObjectConflict',
  ],
  [
    'Graph 429',
    answer(
      429,
      { error: { code: 'TooManyRequests', message: 'Too many requests' } },
      { 'retry-after': '10' },
    ),
    graphHook,
    'rate-limited',
    true,
    'TooManyRequests',
  ],
  [
    'Graph 503',
    answer(503, { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } }),
    graphHook,
    'transient',
    true,
    'serviceNotAvailable',
  ],
  [
    'Slack 200 ok:false users_not_found',
    answer(200, { ok: false, error: 'users_not_found' }),
    slackHook,
    'not-found',
    false,
    'users_not_found',
  ],
  [
    'Slack 200 ok:false invalid_auth',
    answer(200, { ok: false, error: 'invalid_auth' }),
    slackHook,
    'auth',
    false,
    'invalid_auth',
  ],
  [
    'Slack 429 ratelimited',
    answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '30' }),
    slackHook,
    'rate-limited',
    true,
    'ratelimited',
  ],
  [
    'Slack SCIM 409 username_taken',
    answer(409, { Errors: { description: 'username_taken', code: 409 } }),
    slackHook,
    'conflict',
    false,
    'username_taken',
  ],
  [
    'GitHub 404',
    answer(404, {
      message: 'Not Found',
      documentation_url: `${GH_DOCS}/users/users#get-a-user`,
      status: '404',
    }),
    githubHook,
    'not-found',
    false,
  ],
  [
    'GitHub 422 already_exists',
    answer(422, {
      message: 'Validation Failed',
      errors: [{ resource: 'Team', code: 'already_exists', field: 'name' }],
      documentation_url: GH_DOCS,
      status: '422',
    }),
    githubHook,
    'conflict',
    false,
    'already_exists',
  ],
  [
    'GitHub 422 other validation',
    answer(422, {
      message: 'Validation Failed',
      errors: [{ resource: 'Team', code: 'missing_field', field: 'name' }],
      documentation_url: GH_DOCS,
    }),
    githubHook,
    'invalid',
    false,
  ],
  [
    'GitHub 403 primary rate limit',
    answer(
      403,
      {
        message: 'API rate limit exceeded for installation ID 123.',
        documentation_url: GH_DOCS,
        status: '403',
      },
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1764590000' },
    ),
    githubHook,
    'rate-limited',
    true,
  ],
  [
    'GitHub 403 secondary rate limit',
    answer(
      403,
      { message: 'You have exceeded a secondary rate limit.', documentation_url: GH_DOCS },
      { 'retry-after': '60' },
    ),
    githubHook,
    'rate-limited',
    true,
  ],
  [
    'GitHub 403 forbidden',
    answer(
      403,
      { message: 'Resource not accessible by integration', documentation_url: GH_DOCS },
      { 'x-ratelimit-remaining': '4999' },
    ),
    githubHook,
    'auth',
    false,
  ],
  [
    'ServiceNow 404',
    answer(404, {
      error: {
        message: 'No Record found',
        detail: "Record doesn't exist or ACL restricts the record retrieval",
      },
      status: 'failure',
    }),
    undefined,
    'not-found',
    false,
  ],
  [
    'proxy 502 HTML page',
    answer(502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'),
    undefined,
    'transient',
    true,
  ],
  ['500 internal error', answer(500, { message: 'Internal error' }), undefined, 'unknown', false],
];
