// A CSV batch's header, checked once before the first record runs (issue 13 item 3): a column that
// is neither a User Profile field nor used by an instance's mapping would be dropped from every
// record without a word. One warning per such column and instance, in the single commands'
// wording (so the per-record warning for it is not repeated); with --strict, exit 2 before anything
// is sent. `olduserdata.<field>` columns are checked by their field part.
import type { IamClient } from '../client.js';
import { UsageError } from '../core/errors.js';
import { canonicalKey, unknownProfileKeys } from '../core/profile-fields.js';

const OLD = 'olduserdata.';

export function checkCsvHeader(
  client: IamClient,
  instances: readonly string[],
  columns: readonly string[],
  strict: boolean,
): void {
  for (const instance of instances) {
    const rt = client.runtime(instance);
    for (const column of columns) {
      const old = column.toLowerCase().startsWith(OLD);
      const key = canonicalKey(old ? column.slice(OLD.length) : column);
      const [message] = unknownProfileKeys({ [key]: '' }, rt.mapping.outgoing);
      if (message === undefined) continue;
      const named = old
        ? message.replace(`key ${JSON.stringify(key.slice(0, 60))}`, `key ${JSON.stringify(`${OLD}${key}`)}`)
        : message;
      if (strict) {
        const where = instances.length > 1 ? ` (instance "${instance}")` : '';
        throw new UsageError(
          `input: CSV header (line 1)${where}: ${named}; nothing sent (--strict)`,
          'input',
        );
      }
      rt.warn?.(`${named}; ${old ? 'it is not used' : 'it is not sent'}`);
    }
  }
}
