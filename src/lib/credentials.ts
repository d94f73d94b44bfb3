// Password and username rules of reference §1.2, shared by the API, the CLI and the configuration.

const SPECIAL_CHARACTERS = '!"#$%&\'()*+,-./:;<=>?@[]^_`{|}~';

/** Why a password is refused, or null when it follows the rules of reference §1.2. */
export function passwordProblem(password: string): string | null {
  if (password.length < 8 || password.length > 64) return 'must be 8 to 64 characters long';
  if (!/\d/.test(password)) return 'must contain a digit';
  if (!/[A-Z]/.test(password)) return 'must contain an upper-case letter';
  if (!/[a-z]/.test(password)) return 'must contain a lower-case letter';
  if (![...password].some((c) => SPECIAL_CHARACTERS.includes(c))) return `must contain one of ${SPECIAL_CHARACTERS}`;
  return null;
}

export function usernameProblem(username: string): string | null {
  if (username.length < 4 || username.length > 32) return 'must be 4 to 32 characters long';
  // Basic authentication splits on the first colon, and control characters have no place in a name.
  if (/[:\p{Cc}\s]/u.test(username)) return 'must not contain colons, spaces or control characters';
  return null;
}

