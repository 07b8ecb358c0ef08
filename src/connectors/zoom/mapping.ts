// The default mapping between the User Profile and a Zoom user, and which Zoom fields each call
// takes. From the reference's request bodies (Zoom's Rivet SDK, users.d.ts): "Create users"
// `user_info` takes only email, first_name, last_name, display_name, password, type, feature,
// plan_united_type; "Update a user" (PATCH) takes the profile fields (dept, job_title, location,
// manager, ...) but never the email (that is PUT /users/{userId}/email) nor employee_unique_id
// (read only). So a create sends what `user_info` takes and PATCHes the rest right after.
import type { Mapping } from '../../core/mapping/types.js';

export const zoomUserMapping: Mapping = [
  // The lookup attribute `email` is read from the outgoing profile of either variant.
  { app: 'email', profile: 'email' },
  { app: 'first_name', profile: 'givenname' },
  { app: 'last_name', profile: 'surname' },
  { app: 'display_name', profile: 'displayname' },
  // Zoom's user type (1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None); when the
  // profile has none, a create sends the instance's `userType` setting.
  { app: 'type', profile: 'usertype' },
  { app: 'dept', profile: 'department' },
  { app: 'job_title', profile: 'title' },
  { app: 'location', profile: 'location' },
  { app: 'manager', profile: 'manageremail' },
  // Read only in Zoom: shown by Get a user, taken by neither Create nor Update.
  { app: 'employee_unique_id', profile: 'employeeid', direction: 'in' },
];

/** "Create users" `user_info` fields (the connector sends the others with a PATCH after the create). */
export const CREATE_FIELDS: ReadonlySet<string> = new Set([
  'email',
  'first_name',
  'last_name',
  'display_name',
  'password',
  'type',
  'feature',
  'plan_united_type',
]);

/** "Update a user" (PATCH /users/{userId}) body fields. */
export const UPDATE_FIELDS: readonly string[] = [
  'first_name',
  'last_name',
  'display_name',
  'type',
  'dept',
  'job_title',
  'cost_center',
  'company',
  'location',
  'manager',
  'language',
  'timezone',
  'phone_country',
  'phone_number',
  'phone_numbers',
  'pronouns',
  'pronouns_option',
  'cms_user_id',
  'custom_attributes',
  'host_key',
  'pmi',
  'use_pmi',
  'vanity_name',
  'about_me',
  'linkedin_url',
  'zoom_one_type',
  'plan_united_type',
  'feature',
  'division_ids',
];

/** Zoom user fields a mapper may target (get-mapping-fields): create and update bodies, plus read-only ones. */
export const zoomMappingFields: readonly string[] = [
  'email',
  ...UPDATE_FIELDS,
  'employee_unique_id',
  'status',
  'role_id',
  'group_ids',
];
