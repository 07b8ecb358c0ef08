// The Local store's lookups and user insert, by name (store.ts prepares them once per store).

export const USER_COLS = 'id, username, email, active, attributes, created, modified';
export const GROUP_COLS = 'id, display_name AS displayName, created, modified';

/**
 * The lookups (each must SEARCH an index, never SCAN a table: test/connectors/local-indexes.test.ts)
 * and the user insert, shared with the bench's plain SQLite ceiling (bench/local-ceiling.ts).
 */
export const LOCAL_SQL = {
  userById: `SELECT ${USER_COLS} FROM users WHERE id = ?`,
  userByName: `SELECT ${USER_COLS} FROM users WHERE username = ?`,
  usersByEmail: `SELECT ${USER_COLS} FROM users WHERE lower(email) = lower(?) ORDER BY created, id`,
  otherUserByName: 'SELECT id FROM users WHERE username = ? AND id <> ?',
  groupById: `SELECT ${GROUP_COLS} FROM groups WHERE id = ?`,
  groupByName: `SELECT ${GROUP_COLS} FROM groups WHERE display_name = ?`,
  members: `SELECT u.id, u.username FROM group_members m JOIN users u ON u.id = m.user_id
       WHERE m.group_id = ? ORDER BY u.username, u.id`,
  insertUser: `INSERT INTO users (${USER_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
} as const;
