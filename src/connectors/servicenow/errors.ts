// ServiceNow's error answers, classified once for the REST kit (http/classify.ts). The Table API
// answers errors as `{"error": {"message", "detail"}, "status": "failure"}` (Table API reference,
// "Response body parameters"); the hook makes it one line, `<message>: <detail>`. A 404 with that
// body ("No Record found") is not-found; a 404 WITHOUT it is not ServiceNow's answer about a record
// (a wrong instanceUrl or a proxy), so it is a configuration problem naming the instance URL. A
// uniqueness refusal on insert (a 403 "Operation Failed" whose detail says "Unique Key violation")
// is a conflict. Rate limiting (429, Retry-After, X-RateLimit-Reset) is the REST kit's own.
import { AppError } from '../../core/errors.js';
import { asObject, type ErrorHook } from '../../http/classify.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** ServiceNow's `{error: {message, detail}}` as one line, or undefined when the body is not one. */
export function snowMessage(json: Readonly<Record<string, unknown>>): string | undefined {
  const error = asObject(json.error);
  const message = text(error.message);
  const detail = text(error.detail);
  if (!message) return detail;
  return detail && detail !== message ? `${message}: ${detail}` : message;
}

/** The classify hook for ServiceNow's Table API at `instanceUrl`. */
export function snowErrorHook(instanceUrl: string): ErrorHook {
  return (res, json) => {
    if (res.status < 400) return undefined;
    const message = snowMessage(json);
    if (res.status === 404 && (!message || json.status !== 'failure')) {
      return {
        kind: 'unknown',
        message:
          `HTTP 404 without ServiceNow's "No Record found" answer: check instanceUrl ${instanceUrl} ` +
          '(https://<instance>.service-now.com)',
      };
    }
    if (!message) return undefined;
    if (res.status === 403 && /unique key violation|duplicate entry/i.test(message)) {
      return { kind: 'conflict', message };
    }
    return { message };
  };
}

/** A member that does not exist, in a membership change: an AppError, not "the group is gone". */
export function memberNotFound(groupId: string, userId: string): AppError {
  return new AppError(`group ${groupId}: member ${userId} does not exist in sys_user`, { status: 404 });
}
