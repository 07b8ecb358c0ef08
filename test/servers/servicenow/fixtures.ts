// Examples from ServiceNow's published reference, used as they are (README.md names each page).
// sys_ids are the reference's own where it gives one; the demo users are the instance's demo data.

/** Table API "GET /now/table/{tableName}/{sys_id}" error example (404). */
export const NO_RECORD = {
  error: {
    message: 'No Record found',
    detail: "Record doesn't exist or ACL restricts the record retrieval",
  },
  status: 'failure',
} as const;

/** REST API 401 answer when no or wrong credentials are sent. */
export const NOT_AUTHENTICATED = {
  error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
  status: 'failure',
} as const;

/** The OAuth token endpoint (`/oauth_token.do`) refusing a client or user credential. */
export const OAUTH_DENIED = { error_description: 'access_denied', error: 'server_error' } as const;

/** A sys_user row as the Table API returns it (values as strings, references as sys_ids). */
export const ABEL_TUTER = {
  sys_id: '62826bf03710200044e0bfc8bcbe5df1',
  user_name: 'abel.tuter',
  first_name: 'Abel',
  last_name: 'Tuter',
  name: 'Abel Tuter',
  email: 'abel.tuter@example.com',
  title: 'Sales Manager',
  employee_number: '',
  mobile_phone: '',
  active: 'true',
  locked_out: 'false',
} as const;

/** A sys_user_group row (the demo data's "Service Desk"). */
export const SERVICE_DESK = {
  sys_id: 'd625dccec0a8016700a222a0f7900d06',
  name: 'Service Desk',
  description: 'Service Desk group',
  email: '',
  manager: '',
  active: 'true',
} as const;

/** Columns the simulator keeps per table (unknown ones in a write are ignored, as an instance does). */
export const COLUMNS = {
  sys_user: [
    'sys_id',
    'user_name',
    'first_name',
    'middle_name',
    'last_name',
    'name',
    'email',
    'title',
    'department',
    'company',
    'location',
    'manager',
    'employee_number',
    'phone',
    'mobile_phone',
    'home_phone',
    'cost_center',
    'building',
    'city',
    'country',
    'time_zone',
    'preferred_language',
    'active',
    'locked_out',
    'source',
    'user_password',
    'sys_created_on',
    'sys_updated_on',
    'sys_mod_count',
  ],
  sys_user_group: [
    'sys_id',
    'name',
    'description',
    'email',
    'manager',
    'active',
    'sys_created_on',
    'sys_updated_on',
    'sys_mod_count',
  ],
  sys_user_grmember: ['sys_id', 'user', 'group', 'sys_created_on', 'sys_updated_on', 'sys_mod_count'],
} as const;

export type TableName = keyof typeof COLUMNS;

/** Reference columns: the table each points to. */
export const REFERENCES: Readonly<Record<string, TableName>> = {
  'sys_user.manager': 'sys_user',
  'sys_user_group.manager': 'sys_user',
  'sys_user_grmember.user': 'sys_user',
  'sys_user_grmember.group': 'sys_user_group',
};

/** Columns never returned by a read (sys_user's password2 field). */
export const HIDDEN = new Set(['user_password']);
