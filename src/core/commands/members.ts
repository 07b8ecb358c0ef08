// One membership chunk of update-group, applied so that the record says what the app holds after it:
// - a 400 for a chunk is split in halves, recursively, until the refused ids stand alone and are
//   named with the app's code and message, and every other id is applied (1 bad id among n costs
//   about 2·log2(n) extra requests, not n);
// - after an uncertain answer (a 5xx, a lost answer) the group is read back where the app lists
//   members: ids already in the state asked for count as applied, only the others are sent again
//   (so a re-sent add never duplicates a member on an app that does not de-duplicate);
// - where the app cannot list members, an uncertain add is reported as uncertain, never claimed.
import type { MemberChange } from '../connector.js';
import { IamError, InvalidValueError, NotSupportedError } from '../errors.js';
import type { InstanceRuntime } from '../instance.js';
import { errorParts } from '../record.js';
import { unsupported } from '../supports.js';

/** A member change that did not happen, or whose outcome is unknown, with the app's code and message. */
export interface MemberFailure {
  id: string;
  op: 'add' | 'remove';
  errorCode: number | string | null;
  errorMessage: string;
}

export interface ChunkResult {
  applied: string[];
  failed: MemberFailure[];
  /** Sent, answer lost or 5xx, and the app cannot list members to check: may or may not be applied. */
  uncertain: MemberFailure[];
}

/** A refusal that one or a few ids may have caused (the connector says so with InvalidValueError). */
export function refusesIds(e: unknown): boolean {
  return e instanceof InvalidValueError;
}

/** The change may or may not have been applied (no answer, a 5xx): the connector's `mayHaveLanded`. */
export function uncertain(e: unknown): boolean {
  return e instanceof IamError && e.mayHaveLanded;
}

const empty = (): ChunkResult => ({ applied: [], failed: [], uncertain: [] });

function merge(into: ChunkResult, more: ChunkResult): ChunkResult {
  into.applied.push(...more.applied);
  into.failed.push(...more.failed);
  into.uncertain.push(...more.uncertain);
  return into;
}

type Sent = { ok: true } | { ok: false; error: unknown };

export class MemberApplier {
  readonly #rt: InstanceRuntime;
  readonly #groupId: string;

  constructor(rt: InstanceRuntime, groupId: string) {
    this.#rt = rt;
    this.#groupId = groupId;
  }

  /** Sends one request for `ids`; never throws. */
  async send(op: MemberChange['op'], ids: readonly string[]): Promise<Sent> {
    try {
      const { changeMembers } = this.#rt.connector;
      if (!changeMembers) throw new NotSupportedError(unsupported(this.#rt.brand, 'update-group'));
      await changeMembers.call(this.#rt.connector, this.#groupId, { op, ids });
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /** Sends `ids` and settles whatever the answer was. */
  async apply(op: MemberChange['op'], ids: readonly string[], retry = 0): Promise<ChunkResult> {
    const sent = await this.send(op, ids);
    return sent.ok ? { ...empty(), applied: [...ids] } : this.settle(op, ids, sent.error, retry);
  }

  /** What to do after `ids` were refused with `error` (`retry`: re-sends made so far for them). */
  async settle(
    op: MemberChange['op'],
    ids: readonly string[],
    error: unknown,
    retry = 0,
  ): Promise<ChunkResult> {
    if (refusesIds(error))
      return ids.length === 1 ? this.#failed(op, ids, error) : this.#split(op, ids, error);
    if (uncertain(error)) return this.#check(op, ids, error, retry);
    return this.#failed(op, ids, error);
  }

  #failed(op: MemberChange['op'], ids: readonly string[], error: unknown, more?: string): ChunkResult {
    return { ...empty(), failed: this.#entries(op, ids, error, more) };
  }

  #entries(op: MemberChange['op'], ids: readonly string[], error: unknown, more?: string): MemberFailure[] {
    const { code, message } = errorParts(error, this.#rt.secrets);
    const errorMessage = more ? `${message}; ${more}` : message;
    return ids.map((id) => ({ id, op, errorCode: code, errorMessage }));
  }

  /**
   * Halves a refused chunk. When the first half goes through, the refusal was the second half's: it
   * is split again without being sent whole (one request saved per level). When both halves are
   * refused exactly as the whole was, by a message that names none of the ids, the refusal is about
   * the request, not an id: splitting further would only multiply requests (2n - 1 for n ids).
   */
  async #split(op: MemberChange['op'], ids: readonly string[], error: unknown): Promise<ChunkResult> {
    const mid = Math.ceil(ids.length / 2);
    const left = ids.slice(0, mid);
    const right = ids.slice(mid);
    const first = await this.send(op, left);
    if (first.ok) {
      const rest = right.length === 1 ? this.#failed(op, right, error) : await this.#split(op, right, error);
      return merge({ ...empty(), applied: [...left] }, rest);
    }
    const second = await this.send(op, right);
    if (
      !second.ok &&
      this.#sameRefusal(error, first.error, ids) &&
      this.#sameRefusal(error, second.error, ids)
    ) {
      return this.#failed(
        op,
        ids,
        error,
        'both halves of the request were refused alike, so it was not split further',
      );
    }
    const settled = await this.settle(op, left, first.error);
    return merge(
      settled,
      second.ok ? { ...empty(), applied: [...right] } : await this.settle(op, right, second.error),
    );
  }

  /** `other` is a 400 with the very message of `error`, and that message names none of `ids`. */
  #sameRefusal(error: unknown, other: unknown, ids: readonly string[]): boolean {
    if (!refusesIds(other)) return false;
    const a = errorParts(error, this.#rt.secrets);
    const b = errorParts(other, this.#rt.secrets);
    return a.code === b.code && a.message === b.message && !ids.some((id) => a.message.includes(id));
  }

  /**
   * After an uncertain answer: reads the group back. Ids already as asked are applied; the others
   * are sent again within the core's retry budget. Without a member list, a remove is sent again
   * (it cannot duplicate anything) and an add is reported as uncertain.
   */
  async #check(
    op: MemberChange['op'],
    ids: readonly string[],
    error: unknown,
    retry: number,
  ): Promise<ChunkResult> {
    const attempts = Math.max(1, this.#rt.retry?.attempts ?? 1);
    let members: ReadonlySet<string> | null;
    try {
      const { connector } = this.#rt;
      const group = connector.getGroup
        ? await connector.getGroup(this.#groupId, { includeMembers: true })
        : { members: null };
      if (!group) return this.#failed(op, ids, error, 'the group is gone (read back after the answer)');
      // The app answered with another group: its members say nothing about this one.
      if ('id' in group && group.id !== this.#groupId) {
        return this.#unknown(op, ids, error, 'the app answered the read back with another group');
      }
      members = group.members ? new Set(group.members.map((m) => m.value)) : null;
    } catch (readError) {
      const why = errorParts(readError, this.#rt.secrets).message;
      return this.#unknown(op, ids, error, `reading the group back to check failed (${why})`);
    }
    if (members === null && op === 'add') {
      return this.#unknown(op, ids, error, 'this app does not list group members, so it cannot be checked');
    }
    const has = members;
    const done = has ? ids.filter((id) => has.has(id) === (op === 'add')) : [];
    const todo = has ? ids.filter((id) => has.has(id) !== (op === 'add')) : [...ids];
    const result: ChunkResult = { ...empty(), applied: done };
    if (todo.length === 0) return result;
    if (retry + 1 >= attempts) {
      const why = has ? 'not applied (the group was read back)' : 'this app does not list group members';
      return merge(result, has ? this.#failed(op, todo, error, why) : this.#unknown(op, todo, error, why));
    }
    await this.#rt.retry?.beforeRetry(retry + 1, errorParts(error, this.#rt.secrets).message);
    const again = await this.send(op, todo);
    if (again.ok) return merge(result, { ...empty(), applied: todo });
    if (!has && !uncertain(again.error)) {
      // The first attempt may have landed; a refusal of the re-send does not say it did not.
      return merge(result, this.#unknown(op, todo, error, 'sent again and refused: check in the app'));
    }
    return merge(result, await this.settle(op, todo, again.error, retry + 1));
  }

  #unknown(op: MemberChange['op'], ids: readonly string[], error: unknown, why: string): ChunkResult {
    return { ...empty(), uncertain: this.#entries(op, ids, error, `may or may not be applied: ${why}`) };
  }
}
