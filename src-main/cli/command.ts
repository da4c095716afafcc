/**
 * The contract of a `netloom` sub-command. Each command lives in its own file
 * `src-main/cli/commands/<name>.ts` exporting `command: CliCommand`; the dispatcher finds it by
 * file name, so adding a command is a one-file change. Files in ./commands whose name starts with
 * `_` are shared helpers, not commands.
 */

/** Where a command writes; the real process streams by default, a buffer in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  /** Equal to the file name without `.ts`. */
  name: string;
  /** One line for `netloom --help`. */
  summary: string;
  /** Full usage text for `netloom <name> --help`. */
  usage: string;
  /** Returns the exit code: 0 success, 2 bad input or unusable data, 1 unexpected failure. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** Thrown by commands for wrong arguments; the dispatcher prints it with the usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
