// Real error bodies (SCIM, Zoom, Okta) and the classification a user must see.
import { scimHook } from '../../src/http/classify.js';
import { answer, oktaHook, type Row, zoomHook } from './vendor-hooks.js';

const SCIM_ERR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export const TABLE_A: Row[] = [
  [
    'SCIM 404',
    answer(404, { schemas: [SCIM_ERR], detail: 'Resource 2819c223 not found', status: '404' }),
    scimHook,
    'not-found',
    false,
  ],
  [
    'SCIM 409 uniqueness',
    answer(409, { schemas: [SCIM_ERR], scimType: 'uniqueness', detail: 'userName taken', status: '409' }),
    scimHook,
    'conflict',
    false,
    'uniqueness',
  ],
  [
    'SCIM 400 uniqueness (sent as 400)',
    answer(400, { schemas: [SCIM_ERR], scimType: 'uniqueness', detail: 'exists', status: '400' }),
    scimHook,
    'conflict',
    false,
    'uniqueness',
  ],
  [
    'SCIM 400 invalidValue',
    answer(400, { schemas: [SCIM_ERR], scimType: 'invalidValue', detail: 'bad email', status: '400' }),
    scimHook,
    'invalid',
    false,
    'invalidValue',
  ],
  [
    'Zoom 404 1001',
    answer(404, { code: 1001, message: 'User does not exist: jdoe@example.com.' }),
    zoomHook,
    'not-found',
    false,
    1001,
  ],
  [
    'Zoom 400 1001 (not found sent as 400)',
    answer(400, { code: 1001, message: 'User does not exist: 9xQ.' }),
    zoomHook,
    'not-found',
    false,
    1001,
  ],
  [
    'Zoom 409 1005',
    answer(409, { code: 1005, message: 'User already in the account: jdoe@example.com' }),
    zoomHook,
    'conflict',
    false,
    1005,
  ],
  [
    'Zoom 400 300 validation',
    answer(400, {
      code: 300,
      message: 'Validation Failed.',
      errors: [{ field: 'user_info.email', message: 'Invalid field.' }],
    }),
    zoomHook,
    'invalid',
    false,
    300,
  ],
  [
    'Zoom 429',
    answer(
      429,
      {
        code: 429,
        message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
      },
      { 'retry-after': '1' },
    ),
    zoomHook,
    'rate-limited',
    true,
    429,
  ],
  [
    'Zoom 401 124',
    answer(401, { code: 124, message: 'Invalid access token.' }),
    zoomHook,
    'auth',
    false,
    124,
  ],
  [
    'Okta 404 E0000007',
    answer(404, {
      errorCode: 'E0000007',
      errorSummary: 'Not found: Resource not found: 00ub0oNGTSWTBKOLGLNR (User)',
      errorLink: 'E0000007',
      errorId: 'oaeXyz',
      errorCauses: [],
    }),
    oktaHook,
    'not-found',
    false,
    'E0000007',
  ],
  [
    'Okta 400 E0000001 login exists',
    answer(400, {
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: login',
      errorLink: 'E0000001',
      errorId: 'oae1',
      errorCauses: [
        { errorSummary: 'login: An object with this field already exists in the current organization' },
      ],
    }),
    oktaHook,
    'conflict',
    false,
    'E0000001',
  ],
  [
    'Okta 400 E0000001 other validation',
    answer(400, {
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: email',
      errorCauses: [{ errorSummary: 'email: Does not match required pattern' }],
    }),
    oktaHook,
    'invalid',
    false,
    'E0000001',
  ],
  [
    'Okta 429 E0000047',
    answer(
      429,
      {
        errorCode: 'E0000047',
        errorSummary: 'API call exceeded rate limit due to too many requests.',
        errorCauses: [],
      },
      { 'x-rate-limit-reset': '1764590000' },
    ),
    oktaHook,
    'rate-limited',
    true,
    'E0000047',
  ],
  [
    'Okta 403 E0000006',
    answer(403, {
      errorCode: 'E0000006',
      errorSummary: 'You do not have permission to perform the requested action',
      errorCauses: [],
    }),
    oktaHook,
    'auth',
    false,
    'E0000006',
  ],
];
