// SCIM apps whose group membership misbehaves the way real ones do, on the loopback SCIM peer (its
// store, its request log): one that does not de-duplicate members (an add of a member already in
// the group appends a second entry), and one that applies only part of a member add and then
// answers 500 (it processes members one at a time and fails midway). Unknown member ids are
// refused with `400 invalidValue` for the whole request, as the store of every SCIM peer does.
import type { RequestHandler, Response } from 'express';
import { type ScimPeer, startScimPeer } from './scim-peer.js';
import { ERROR_SCHEMA, isRecord } from './scim-support.js';

export interface MemberPeerOptions {
  /** false: a member added twice is listed twice (default true). */
  dedupe?: boolean;
  /**
   * The next `times` member adds of more than `applied` ids store only their first `applied` ids,
   * then answer 500.
   */
  partialFailure?: { applied: number; times: number };
}

export interface MemberPeer extends ScimPeer {
  /** The member ids of a group as the store holds them, duplicates included, in stored order. */
  memberIds(groupId: string): string[];
}

interface MemberOp {
  op?: unknown;
  path?: unknown;
  value?: unknown;
}

/** The member-add operation of a PATCH body, if it has one. */
function memberAdd(body: unknown): (MemberOp & { value: unknown[] }) | undefined {
  const ops = isRecord(body) && Array.isArray(body.Operations) ? (body.Operations as MemberOp[]) : [];
  const add = ops.find(
    (op) => String(op.op).toLowerCase() === 'add' && String(op.path).toLowerCase() === 'members',
  );
  return add && Array.isArray(add.value) ? (add as MemberOp & { value: unknown[] }) : undefined;
}

/** Lets a member add through with only its first `applied` ids, and turns its success into a 500. */
function failMidway(failure: { applied: number; times: number }): RequestHandler {
  let left = failure.times;
  return (req, res, next) => {
    if (req.method !== 'PATCH' || !/^\/Groups\/[^/]+$/.test(req.path) || left <= 0) return next();
    // A copy: the request log keeps what the client sent.
    const body = structuredClone(req.body) as unknown;
    const add = memberAdd(body);
    if (!add || add.value.length <= failure.applied) return next();
    left -= 1;
    add.value = add.value.slice(0, failure.applied);
    req.body = body;
    const send = res.send.bind(res) as (b: unknown) => Response;
    let replaced = false;
    res.send = ((b: unknown) => {
      if (replaced || res.statusCode >= 300) return send(b);
      replaced = true;
      res.status(500).type('application/scim+json');
      const detail = `Internal error after ${failure.applied} of the members were stored`;
      return send(JSON.stringify({ schemas: [ERROR_SCHEMA], status: '500', detail }));
    }) as Response['send'];
    next();
  };
}

export async function startMemberPeer(opts: MemberPeerOptions = {}): Promise<MemberPeer> {
  const peer = await startScimPeer({
    dedupeMembers: opts.dedupe ?? true,
    before: opts.partialFailure ? [failMidway(opts.partialFailure)] : [],
  });
  return {
    ...peer,
    memberIds(groupId) {
      const group = peer.groups().find((g) => g.id === groupId);
      const members = Array.isArray(group?.members) ? group.members : [];
      return members.filter(isRecord).map((m) => String(m.value));
    },
  };
}
