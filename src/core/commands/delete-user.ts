// delete-user (spec section 3): off unless the instance sets `allowDelete`; the account is looked up
// like any user command; the connector deletes it (or does the vendor's nearest, said in details).
import { NotFoundError } from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import type { Profile } from '../profile.js';
import { errorRecord, skippedRecord, successRecord, type UserResult } from '../record.js';
import { redact } from '../redact.js';
import { locate, mapped, notSupported, REASON_DISABLED, REASON_NO_USER, result } from './users.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export async function deleteUser(rt: InstanceRuntime, profile: Profile): Promise<UserResult> {
  const cannot = notSupported(rt, 'delete-user', 'delete', profile);
  if (cannot) return cannot;
  const fields = mapped(rt, profile, 'update');
  if (!rt.flags.allowDelete) {
    return result(skippedRecord(rt, 'delete', profile, REASON_DISABLED, fields), profile);
  }
  const found = await locate(rt, 'delete', profile, 'update');
  if ('record' in found) return result(found.record, profile);
  const account = found.account;
  if (!account) return result(skippedRecord(rt, 'delete', profile, REASON_NO_USER, fields), profile);
  try {
    const done = (await rt.connector.deleteUser?.(account)) ?? {};
    const record = successRecord(rt, 'delete', profile, account);
    // The account as it was, and what the app did instead of a delete when it did (e.g. deactivated).
    const said = isObj(done.details) ? redact(done.details, rt.secrets) : {};
    const details = isObj(record.details) ? { ...record.details, ...said } : said;
    return result({ ...record, active: null, details }, profile);
  } catch (e) {
    // The account vanished between lookup and delete: that is "does not exist", not an error.
    if (e instanceof NotFoundError) {
      return result(skippedRecord(rt, 'delete', profile, REASON_NO_USER, fields), profile);
    }
    return result(errorRecord(rt, 'delete', profile, e, fields, account), profile);
  }
}
