/**
 * The type check of a learner's file. The checks run it through tsx, which strips types without
 * reading them, so `const n: number = 'x'` would run — and pass checks — until `npm test` runs
 * tsc. This asks the TypeScript compiler about that one file, with the project's own settings,
 * and reports its errors in the file as `line 12: <what the compiler says>`.
 * @module
 */
import { isAbsolute } from 'node:path';
import ts from 'typescript';
import { absolutePath, REPO_ROOT } from '../paths.ts';

/** One compiler error in the learner's file. */
export interface TypeProblem {
  /** 1-based, as an editor shows it. */
  readonly line: number;
  readonly column: number;
  /** The compiler's message, its chain of reasons joined on one line each. */
  readonly message: string;
  /** `TS2322`: what to search for when the message is not enough. */
  readonly code: string;
}

/** The project's compiler options (tsconfig.json), read once per process. */
let options: ts.CompilerOptions | undefined;

function projectOptions(): ts.CompilerOptions {
  if (options === undefined) {
    const read = ts.readConfigFile(absolutePath('tsconfig.json'), (path) => ts.sys.readFile(path));
    options = { ...ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT).options, noEmit: true };
  }
  return options;
}

/**
 * The type errors in `file` (repository-relative, or absolute), at most `limit`, in file order. Only errors
 * *in* that file count: one the file causes elsewhere shows up as an error in the file itself
 * (a wrong export type fails where the phase imports it, which `npm run typecheck` reports).
 */
export function typeProblems(file: string, limit = 5): TypeProblem[] {
  const path = isAbsolute(file) ? file : absolutePath(file);
  const program = ts.createProgram({ rootNames: [path], options: projectOptions() });
  const source = program.getSourceFile(path);
  if (source === undefined) return [];
  // Syntax errors are the runner's to report (tsx meets them first), so only the checker's here.
  return program.getSemanticDiagnostics(source).slice(0, limit).map((diagnostic) => {
    const { line, character } = source.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return {
      line: line + 1,
      column: character + 1,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  '),
      code: `TS${diagnostic.code}`,
    };
  });
}
