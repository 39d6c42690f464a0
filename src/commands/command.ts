/** A CLI sub-command; see `src/cli.ts`. */
export interface Command {
  /** One line for the overview. */
  summary: string;
  /** Full usage text printed by `--help`. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}
