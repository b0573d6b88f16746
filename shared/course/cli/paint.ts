/**
 * Colour for the course's terminal output, only where it helps and only on a terminal: never in
 * a pipe, a log file or CI, and never when NO_COLOR is set (https://no-color.org).
 * @module
 */
import { styleText } from 'node:util';

const enabled = process.stdout.isTTY === true && !process.env.NO_COLOR;

/** The styles the course uses. */
export type Style = 'green' | 'red' | 'yellow' | 'dim' | 'bold' | 'cyan';

/** `text` in `style` on a colour terminal, else as it is. */
export function paint(style: Style, text: string): string {
  return enabled ? styleText(style, text) : text;
}

/** The marks in front of a check. */
export const Mark = {
  /** A check that passed. */
  pass: () => paint('green', '✓'),
  /** A check that failed. */
  fail: () => paint('red', '✗'),
  /** A check that reached a part not written yet. */
  todo: () => paint('yellow', '…'),
  /** A check that did not run. */
  skip: () => paint('dim', '-'),
} as const;
