/**
 * Word-wraps prose for the terminal, so hints and goals read as paragraphs at any width up to 100.
 * @module
 */

/** The widest line printed: readable, and narrower than most terminals. */
const MAX_WIDTH = 100;

/** `text` broken into lines of at most `width` columns (a single long word keeps its own line), each indented. */
export function wrap(text: string, indent = 0, width = Math.min(MAX_WIDTH, process.stdout.columns || MAX_WIDTH)): string[] {
  const room = Math.max(20, width - indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 0 && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line.length > 0 ? `${line} ${word}` : word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines.map((text) => `${' '.repeat(indent)}${text}`);
}
