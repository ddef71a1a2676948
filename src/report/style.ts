/** ANSI styling that disappears when colour is off (not a terminal, or NO_COLOR set). */
export interface Palette {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
}

export function palette(color: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    color ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/** `850ms`, `1.2s`, `2m 03s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/**
 * Characters a terminal acts on instead of showing: the C0 controls but tab and line feed (ESC
 * opens colour, cursor and title sequences, BEL rings, NUL and BS hide text), a CR not followed
 * by LF (it rewrites the line), DEL, the C1 controls (U+009B is a one-character CSI), and the
 * Unicode bidirectional controls, which reorder what is shown (CVE-2021-42574, "Trojan Source").
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching the control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\r(?!\n)/g;

/**
 * Text from documents and servers, safe to print on a terminal: every character in
 * `UNPRINTABLE` is written as a visible `\uXXXX` (as JSON and the JUnit report write them), so a
 * response body can neither clear the screen nor retitle the window. Newlines and tabs stay.
 * Apply it after redaction (a secret may contain such characters) and before styling.
 */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}
