import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError, ConflictError, InvalidValueError, NotFoundError, TransportError } from '../core/errors.js';
import { type ErrorContext, toIamError } from './errors.js';
import { ldapts } from './lib.js';

// The classes of the copy of ldapts the connector loads (src/ldap/lib.ts), as its client throws them.
const {
  AlreadyExistsError,
  BusyError,
  ConstraintViolationError,
  InsufficientAccessError,
  NoSuchObjectError,
  ObjectClassViolationError,
  UnavailableError,
  UnwillingToPerformError,
} = ldapts();

const write: ErrorContext = {
  what: 'add uid=a,ou=people,dc=x',
  write: true,
  sent: true,
  secrets: ['s3cr3t-v4lue'],
};
const read: ErrorContext = { ...write, what: 'search ou=people,dc=x', write: false };

describe('LDAP result codes as contract errors', () => {
  test('noSuchObject (32) is not found; entryAlreadyExists (68) a conflict', () => {
    assert.ok(toIamError(new NoSuchObjectError('no such entry'), read) instanceof NotFoundError);
    const c = toIamError(new AlreadyExistsError('Already exists'), write);
    assert.ok(c instanceof ConflictError);
    assert.equal((c as ConflictError).status, 409);
    assert.equal(c.message, 'LDAP add uid=a,ou=people,dc=x: Already exists (68)');
  });

  test('a result without diagnostic text is named by its RFC 4511 name, not only its number', () => {
    // Was: "result code 68 (68)" (slapd sends no text for an add whose DN exists in another form).
    assert.equal(
      toIamError(new AlreadyExistsError(''), write).message,
      'LDAP add uid=a,ou=people,dc=x: entryAlreadyExists (68)',
    );
    assert.equal(toIamError(new BusyError(''), write).message, 'LDAP add uid=a,ou=people,dc=x: busy (51)');
  });

  test('busy (51) and unavailable (52) are retryable and did not land', () => {
    for (const e of [new BusyError('busy'), new UnavailableError('down')]) {
      const m = toIamError(e, write);
      assert.deepEqual([m.retryable, m.mayHaveLanded], [true, false]);
    }
  });

  test('19/21/65: an invalid value, with the server text one line and scrubbed', () => {
    const m = toIamError(
      new ObjectClassViolationError('object class "person" requires\nattribute "sn" s3cr3t-v4lue'),
      write,
    );
    assert.ok(m instanceof InvalidValueError);
    assert.equal(m.message.includes('\n'), false);
    assert.equal(m.message.includes('s3cr3t-v4lue'), false);
    assert.match(m.message, /requires attribute "sn" \[REDACTED\] \(65\)$/);
    assert.ok(toIamError(new ConstraintViolationError('x'), write) instanceof InvalidValueError);
  });

  test('insufficientAccess (50) is a 403 app error, not retried', () => {
    const m = toIamError(new InsufficientAccessError('no write access'), write);
    assert.ok(m instanceof AppError);
    assert.deepEqual([(m as AppError).status, m.retryable], [403, false]);
  });

  test('another result code is an app error that is not retried', () => {
    const m = toIamError(new UnwillingToPerformError('no'), write);
    assert.deepEqual([m.constructor, m.retryable, m.mayHaveLanded], [AppError, false, false]);
  });

  test('a lost connection: a write that was sent may have landed; one never sent did not', () => {
    const lost = new Error(
      'Connection closed before message response was received. Message type: AddRequest',
    );
    const sent = toIamError(lost, write);
    assert.ok(sent instanceof TransportError);
    assert.deepEqual([sent.retryable, sent.mayHaveLanded], [true, true]);
    assert.equal(toIamError(lost, { ...write, sent: false }).mayHaveLanded, false);
    assert.equal(toIamError(lost, read).mayHaveLanded, false);
  });
});
