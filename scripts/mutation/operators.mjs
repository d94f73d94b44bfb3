// The mutants of a source file, generated from its text by a fixed set of operators, so that the set follows the
// code as it changes and nobody picks the easy ones. Only code is touched (code-mask.mjs), and never a line of an
// import, an export list or a type declaration, where a mutant would only be a compile error.
import { codeMask } from './code-mask.mjs';

const swap = (pairs) => (token) => [pairs[token]];

const OPERATORS = [
  // Binary operators are matched with a space on each side, as the formatter writes them: that leaves out
  // generics (`Map<string, T>`) and arrows (`=>`), which are not comparisons.
  { name: 'relational', pattern: / (<=|>=|<|>) /g, mutate: swap({ '<': '<=', '<=': '<', '>': '>=', '>=': '>' }) },
  {
    name: 'equality',
    pattern: / (===|!==|==|!=) /g,
    mutate: swap({ '===': '!==', '!==': '===', '==': '!=', '!=': '==' }),
  },
  { name: 'logical', pattern: / (&&|\|\|) /g, mutate: swap({ '&&': '||', '||': '&&' }) },
  { name: 'arithmetic', pattern: / ([-+*/%]) /g, mutate: swap({ '+': '-', '-': '+', '*': '/', '/': '*', '%': '*' }) },
  { name: 'boolean', pattern: /\b(true|false)\b/g, mutate: swap({ true: 'false', false: 'true' }) },
  {
    name: 'math',
    pattern: /\bMath\.(ceil|floor|min|max)\b/g,
    mutate: swap({ ceil: 'floor', floor: 'ceil', min: 'max', max: 'min' }),
  },
  { name: 'await', pattern: /(?<!\bfor )\b(await )/g, mutate: () => [''] },
  { name: 'not', pattern: /(?<![\w)\]!])(!)(?![=!])/g, mutate: () => [''] },
  { name: 'number', pattern: /(?<![\w.$])(\d[\d_]*(?:\.\d+)?)(?![\w.])/g, mutate: numberMutants },
];

const GUARD = /\bif \(/g;
const GUARD_BODY = /^\s*(throw|return|continue|break)\b/;
const SKIPPED_STATEMENT = /^(import\b|export (type|interface|\{|\*)|interface |type |declare )/;

function numberMutants(literal) {
  const value = Number(literal.replaceAll('_', ''));
  return value === 0 ? ['1'] : [String(value + 1), '0'];
}

/** Every mutant of `text` (the contents of `file`), in source order. */
export function mutantsOf(file, text) {
  const mask = codeMask(text);
  const lines = text.split('\n');
  const skipped = skippedLines(lines, mask);
  const mutants = [];
  let lineStart = 0;
  lines.forEach((lineText, index) => {
    if (!skipped.has(index)) mutants.push(...lineMutants(file, lineText, index + 1, lineStart, mask));
    lineStart += lineText.length + 1;
  });
  return mutants;
}

function lineMutants(file, lineText, line, lineStart, mask) {
  const found = [];
  const isCode = (from, length) => mask.slice(lineStart + from, lineStart + from + length).every(Boolean);
  for (const operator of OPERATORS) {
    let occurrence = 0;
    for (const match of lineText.matchAll(operator.pattern)) {
      const token = match[1];
      const column = match.index + match[0].indexOf(token);
      if (!isCode(column, token.length)) continue;
      occurrence += 1;
      for (const replacement of operator.mutate(token)) {
        found.push(
          mutant(file, lineText, line, lineStart, {
            column,
            original: token,
            replacement,
            op: operator.name,
            occurrence,
          }),
        );
      }
    }
  }
  found.push(...guardMutants(file, lineText, line, lineStart, isCode));
  return found;
}

/** `if (condition) throw …` (or return, continue, break) → `if (false) …`: the guard never fires. */
function guardMutants(file, lineText, line, lineStart, isCode) {
  const found = [];
  let occurrence = 0;
  for (const match of lineText.matchAll(GUARD)) {
    const open = match.index + match[0].length;
    const close = closingParenthesis(lineText, open);
    if (close < 0 || !isCode(match.index, 2) || !GUARD_BODY.test(lineText.slice(close + 1))) continue;
    const original = lineText.slice(open, close);
    if (original === 'false') continue;
    occurrence += 1;
    found.push(
      mutant(file, lineText, line, lineStart, {
        column: open,
        original,
        replacement: 'false',
        op: 'guard',
        occurrence,
      }),
    );
  }
  return found;
}

function closingParenthesis(lineText, open) {
  let depth = 1;
  for (let i = open; i < lineText.length; i += 1) {
    if (lineText[i] === '(') depth += 1;
    if (lineText[i] !== ')') continue;
    depth -= 1;
    if (depth === 0) return i;
  }
  return -1;
}

function mutant(file, lineText, line, lineStart, { column, original, replacement, op, occurrence }) {
  const mutatedLine = lineText.slice(0, column) + replacement + lineText.slice(column + original.length);
  return {
    // Names the mutant by its line's text rather than its number, so that it keeps its name when code above moves.
    id: `${file}|${lineText.trim()}|${op}#${occurrence}|${original}→${replacement}`,
    file,
    line,
    op,
    original,
    replacement,
    lineText: lineText.trim(),
    mutatedLine: mutatedLine.trim(),
    start: lineStart + column,
    end: lineStart + column + original.length,
  };
}

/** Lines of imports, export lists and type declarations, each followed to the end of its statement. */
function skippedLines(lines, mask) {
  const skipped = new Set();
  let depth = 0;
  let inside = false;
  let lineStart = 0;
  lines.forEach((lineText, index) => {
    const trimmed = lineText.trim();
    if (!inside && SKIPPED_STATEMENT.test(trimmed)) inside = true;
    if (inside) {
      skipped.add(index);
      depth += bracketBalance(lineText, lineStart, mask);
      if (depth <= 0 && /[;}]$/.test(trimmed)) {
        inside = false;
        depth = 0;
      }
    }
    lineStart += lineText.length + 1;
  });
  return skipped;
}

function bracketBalance(lineText, lineStart, mask) {
  let balance = 0;
  for (let i = 0; i < lineText.length; i += 1) {
    if (!mask[lineStart + i]) continue;
    if ('{(['.includes(lineText[i])) balance += 1;
    if ('})]'.includes(lineText[i])) balance -= 1;
  }
  return balance;
}

/** `text` with `mutant` applied. */
export function applyMutant(text, mutant) {
  return text.slice(0, mutant.start) + mutant.replacement + text.slice(mutant.end);
}
