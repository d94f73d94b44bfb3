// Password and username rules (docs/api/users-and-auth.md#accounts), shared by the API, the CLI and the configuration.

const SPECIAL_CHARACTERS = '!"#$%&\'()*+,-./:;<=>?@[]^_`{|}~';

const PASSWORD_RULES: readonly { readonly broken: (password: string) => boolean; readonly rule: string }[] = [
  { broken: (p) => p.length < 8 || p.length > 64, rule: 'must be 8 to 64 characters long' },
  { broken: (p) => !/\d/.test(p), rule: 'must contain a digit' },
  { broken: (p) => !/[A-Z]/.test(p), rule: 'must contain an upper-case letter' },
  { broken: (p) => !/[a-z]/.test(p), rule: 'must contain a lower-case letter' },
  {
    broken: (p) => ![...p].some((c) => SPECIAL_CHARACTERS.includes(c)),
    rule: `must contain one of ${SPECIAL_CHARACTERS}`,
  },
];

/**
 * Every rule of docs/api/users-and-auth.md#accounts the password breaks, joined in one sentence ("must be 8 to 64
 * characters long; must contain a digit"), or null when it follows them all: whoever chooses a password learns every
 * rule at once.
 */
export function passwordProblem(password: string): string | null {
  const broken = PASSWORD_RULES.filter(({ broken }) => broken(password)).map(({ rule }) => rule);
  return broken.length === 0 ? null : broken.join('; ');
}

export function usernameProblem(username: string): string | null {
  if (username.length < 4 || username.length > 32) return 'must be 4 to 32 characters long';
  // Basic authentication splits on the first colon, and control characters have no place in a name.
  if (/[:\p{Cc}\s]/u.test(username)) return 'must not contain colons, spaces or control characters';
  return null;
}
