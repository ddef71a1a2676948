import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';

/**
 * Asks one question on the terminal. With `hidden`, what is typed is not echoed (secrets).
 * Rejects when stdin closes (Ctrl-D) so the caller can give up cleanly.
 */
export async function promptLine(question: string, hidden: boolean): Promise<string> {
  let muted = false;
  // readline echoes through `output`; muting it after the question hides a typed secret.
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  // The terminal is in raw mode while readline reads: Ctrl-C arrives as a keystroke, not as a
  // signal. Hand it to the process's own SIGINT handler (bin.ts), as a Ctrl-C anywhere else.
  // Closing the interface does not settle a pending question; aborting it does.
  const cancel = new AbortController();
  rl.once('SIGINT', () => {
    cancel.abort();
    process.stdout.write('\n'); // end the prompt's line before the command's "interrupted"
    process.emit('SIGINT', 'SIGINT');
  });
  try {
    const answer = rl.question(question, { signal: cancel.signal });
    muted = hidden;
    const value = await answer;
    if (hidden) process.stdout.write('\n');
    return value;
  } finally {
    rl.close();
  }
}
