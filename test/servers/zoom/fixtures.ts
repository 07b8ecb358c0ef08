// The Zoom reference's own example bodies, used to seed the simulator and to check its shapes.
// Each constant names the page it comes from (full titles and URLs in README.md).

/** "Get a user" response example (Users API reference, GET /users/{userId}), as published. */
export const GET_USER_EXAMPLE = {
  id: 'zJKyaiAyTNC-MWjiWC18KQ',
  created_at: '2018-10-31T04:32:37Z',
  dept: 'Developers',
  email: 'jchill@example.com',
  first_name: 'Jill',
  last_client_version: '5.9.6.4993(mac)',
  last_login_time: '2021-05-05T20:40:30Z',
  last_name: 'Chill',
  pmi: 3542471135,
  role_name: 'Admin',
  timezone: 'Asia/Shanghai',
  type: 1,
  use_pmi: false,
  account_id: 'q6gBJVO5TzexKYTb_I2rpg',
  account_number: 10009239,
  cms_user_id: 'KDcuGIm1QgePTO8WbOqwIQ',
  company: 'Jill',
  employee_unique_id: 'HqDyI037Qjili1kNsSIrIg',
  group_ids: ['RSMaSp8sTEGK0_oamiA2_w'],
  im_group_ids: ['t-_-d56CSWG-7BF15LLrOw'],
  jid: 'jchill@example.com',
  job_title: 'API Developer',
  language: 'en-US',
  location: 'Paris',
  manager: 'thill@example.com',
  personal_meeting_url: 'example.com',
  phone_country: 'US',
  phone_number: '+1 800000000',
  pic_url: 'example.com',
  plan_united_type: '1',
  pronouns: '3123',
  pronouns_option: 1,
  role_id: '0',
  status: 'pending',
  vanity_url: 'example.com',
  verified: 1,
} as const;

/** "Create a user" (ISV workflow page): the sample request (its <email> placeholder filled from the sample response). */
export const CREATE_USER_REQUEST_EXAMPLE = {
  action: 'custCreate',
  user_info: { email: 'dGljbw==@isv.domain.com', first_name: 'John', last_name: 'Doe', type: 2 },
} as const;

/** "Create a user" (ISV workflow page): the sample response. */
export const CREATE_USER_RESPONSE_EXAMPLE = {
  id: '_SObcJT7Q52O58dcGd9KhQ',
  first_name: 'John',
  last_name: 'Doe',
  email: 'dGljbw==@isv.domain.com',
  type: 2,
} as const;

/** "Error Codes" page: error response example. */
export const INVALID_JSON_ERROR_EXAMPLE = {
  code: 300,
  message: 'Request Body should be a valid JSON object.',
} as const;

/** "Error Codes" page: error response when sending invalid fields. */
export const VALIDATION_ERROR_EXAMPLE = {
  code: 300,
  message: 'Validation Failed.',
  errors: [
    { field: 'user_info.email', message: 'Invalid field.' },
    { field: 'user_info.type', message: 'Invalid field.' },
  ],
} as const;

/** Server-to-Server OAuth: the access token response (fields as documented; token value shortened). */
export const TOKEN_RESPONSE_EXAMPLE = {
  access_token: 'eyJ...',
  token_type: 'bearer',
  expires_in: 3600,
  scope: 'user:read:user:admin',
  api_url: 'https://api.zoom.us',
} as const;

/** Token endpoint answer to a wrong client secret (shape { reason, error } as Zoom's token endpoint answers). */
export const TOKEN_ERROR_EXAMPLE = {
  reason: 'Invalid client_id or client_secret',
  error: 'invalid_client',
} as const;

/** A rejected bearer token (code 124, as reported on the Zoom Developer Forum). */
export const INVALID_TOKEN_EXAMPLE = { code: 124, message: 'Invalid access token.' } as const;

/** "Rate limits" page, best practices for handling errors: example response header. */
export const RATE_LIMIT_HEADERS_EXAMPLE = {
  'X-RateLimit-Category': 'Heavy',
  'X-RateLimit-Type': 'Daily-limit',
  'X-RateLimit-Limit': '30000',
  'X-RateLimit-Remaining': '0',
  'Retry-After': '2020-05-31T00:00:00Z',
} as const;

/** "Pagination" page: the second request's query carries the token from the first answer. */
export const PAGINATION_FIRST_PAGE_KEYS = [
  'page_size',
  'page_count',
  'total_records',
  'next_page_token',
  'users',
] as const;

/** Groups API "Add group members" (Zoom API v2 reference): 201 body example; `ids` is one string. */
export const ADD_MEMBERS_RESPONSE_EXAMPLE = { ids: 'string', added_at: 'string [date-time]' } as const;

/** Groups API "Create a group" (Zoom API v2 reference): 201 body example. */
export const CREATE_GROUP_RESPONSE_KEYS = ['id', 'name', 'total_members'] as const;

/** Users API "List users" response example (Example Output), as published. */
export const LIST_USERS_EXAMPLE = {
  next_page_token: '8V8HigQkzm2O5r9RUn31D9ZyJHgrmFfbLa2',
  page_count: 100,
  page_number: 1,
  page_size: 30,
  total_records: 8482,
  users: [
    {
      created_at: '2019-06-01T07:58:03Z',
      custom_attributes: [{ key: 'cbf_cywdkexrtqc73f97gd4w6g', name: 'A1', value: '2323' }],
      dept: 'Developers',
      email: 'jchill@example.com',
      employee_unique_id: 'HqDyI037Qjili1kNsSIrIg',
      first_name: 'Jill',
      group_ids: ['t-_-d56CSWG-7BF15LLrOw'],
      host_key: '299492849',
      id: 'KDcuGIm1QgePTO8WbOqwIQ',
      im_group_ids: ['t-_-d56CSWG-7BF15LLrOw'],
      last_client_version: '5.2.45120.0906(win)',
      last_login_time: '2022-03-25T05:40:55Z',
      last_name: 'Chill',
      plan_united_type: '0',
      pmi: 6589310093,
      role_id: '0',
      status: 'active',
      timezone: 'Asia/Shanghai',
      type: 1,
      verified: 1,
    },
  ],
} as const;

/** Fields of a user in the "List users" response schema (a subset of "Get a user"). */
export const LIST_USER_FIELDS = [
  'user_created_at',
  'created_at',
  'custom_attributes',
  'dept',
  'email',
  'employee_unique_id',
  'first_name',
  'group_ids',
  'host_key',
  'id',
  'im_group_ids',
  'last_client_version',
  'last_login_time',
  'last_name',
  'plan_united_type',
  'pmi',
  'role_id',
  'status',
  'timezone',
  'type',
  'verified',
  'display_name',
] as const;
