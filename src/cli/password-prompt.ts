// The password of `openprem user add|password`. On a terminal it is typed twice without echo; piped, it is the
// first line of standard input (`echo 'Pass-word1!' | openprem user add alice`), as scripts use it.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** The prompt ended without a password: Ctrl-C, end of input, or two different entries. */
export class PromptError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'PromptError';
  }
}

// 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C.
const INTERRUPTED_EXIT_CODE = 130;

export async function readNewPassword(
  input: NodeJS.ReadStream = process.stdin,
  prompts: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  if (!input.isTTY) return readFirstLine(input);
  const terminal = openHiddenInput(input, prompts);
  try {
    const password = await terminal.ask('password: ');
    const again = await terminal.ask('password again: ');
    if (again !== password) throw new PromptError('the two passwords differ; nothing was changed', 1);
    return password;
  } finally {
    terminal.close();
  }
}

async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * Lines read in raw mode through readline, which edits them (backspace, Ctrl-U) and turns Ctrl-C into an event;
 * its output goes nowhere, so neither the terminal (raw mode: no echo) nor readline shows what is typed. One
 * reader for both questions: lines typed ahead (a paste of both) are queued, not lost.
 */
function openHiddenInput(input: NodeJS.ReadStream, prompts: NodeJS.WritableStream) {
  const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input, output: nowhere, terminal: true, historySize: 0 });
  const typed: string[] = [];
  let ended: PromptError | undefined;
  let waiting: ((line: string | PromptError) => void) | undefined;
  const deliver = (item: string | PromptError) => {
    const waiter = waiting;
    waiting = undefined;
    if (waiter) waiter(item);
    else if (typeof item === 'string') typed.push(item);
    else ended ??= item;
  };
  reader.on('line', deliver);
  reader.on('SIGINT', () => deliver(new PromptError('cancelled; nothing was changed', INTERRUPTED_EXIT_CODE)));
  reader.on('close', () => deliver(new PromptError('no password typed (end of input); nothing was changed', 1)));
  return {
    async ask(prompt: string): Promise<string> {
      prompts.write(prompt);
      const item =
        typed.shift() ?? ended ?? (await new Promise<string | PromptError>((resolve) => (waiting = resolve)));
      prompts.write('\n');
      if (item instanceof PromptError) throw item;
      return item;
    },
    close: () => reader.close(),
  };
}
