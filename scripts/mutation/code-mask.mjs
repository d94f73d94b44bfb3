// Which characters of a TypeScript source are code: not inside a comment, a string, a template's text or a regular
// expression literal. Mutation operators only touch code, so a mutant never rewrites a message or a pattern.
// A small scanner rather than a parser: the project has no parser among its dependencies, and the few places where
// it guesses (a `/` that starts a regular expression) are the usual heuristic of editors.

const REGEX_MAY_FOLLOW = new Set([
  '(',
  ',',
  '=',
  ':',
  '[',
  '!',
  '&',
  '|',
  '?',
  '{',
  '}',
  ';',
  '+',
  '-',
  '*',
  '%',
  '<',
  '>',
  '~',
  '^',
  '',
]);

/** A boolean per character of `text`: true where it is code. */
export function codeMask(text) {
  const mask = new Array(text.length).fill(false);
  const templateDepths = []; // for each open `${`, the brace depth at which it closes
  let braces = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') i = skipUntil(text, i, '\n');
    else if (c === '/' && next === '*') i = skipUntil(text, i + 2, '*/') + 2;
    else if (c === "'" || c === '"') i = skipQuoted(text, i, c);
    else if (c === '`') i = skipTemplateText(text, i + 1, templateDepths, braces);
    else if (c === '/' && regexMayStart(text, i)) i = skipRegex(text, i);
    else if (c === '}' && templateDepths.at(-1) === braces) {
      templateDepths.pop();
      i = skipTemplateText(text, i + 1, templateDepths, braces);
    } else {
      if (c === '{') braces += 1;
      if (c === '}') braces -= 1;
      mask[i] = true;
      i += 1;
    }
  }
  return mask;
}

function skipUntil(text, from, end) {
  const at = text.indexOf(end, from);
  return at < 0 ? text.length : at;
}

function skipQuoted(text, from, quote) {
  let i = from + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Skips a template's text up to its end or to a `${`, which opens code that closes at the current brace depth. */
function skipTemplateText(text, from, templateDepths, braces) {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '`') return i + 1;
    else if (text[i] === '$' && text[i + 1] === '{') {
      templateDepths.push(braces);
      return i + 2;
    } else i += 1;
  }
  return i;
}

function regexMayStart(text, at) {
  if (text[at + 1] === '/' || text[at + 1] === '*') return false;
  const before = text.slice(Math.max(0, at - 12), at).trimEnd();
  if (/\b(return|typeof|case|of|in)$/.test(before)) return true;
  return REGEX_MAY_FOLLOW.has(before.at(-1) ?? '');
}

function skipRegex(text, from) {
  let i = from + 1;
  let inClass = false;
  while (i < text.length && text[i] !== '\n') {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '[') inClass = true;
    else if (text[i] === ']') inClass = false;
    else if (text[i] === '/' && !inClass) break;
    i += 1;
  }
  i += 1;
  while (/[a-z]/.test(text[i] ?? '')) i += 1;
  return i;
}
