// The forms a secret can take in output, which a leak test looks for: as written, base64,
// base64url (a JWT segment, a Basic pair), percent-encoded (a URL) and form-encoded (a token
// request body). Shared by the CLI leak tests of every connector.
export const secretForms = (v: string): string[] => [
  v,
  Buffer.from(v).toString('base64'),
  Buffer.from(v).toString('base64url'),
  encodeURIComponent(v),
  new URLSearchParams({ v }).toString().slice(2),
];
