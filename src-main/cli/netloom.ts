/**
 * `netloom` command-line entry: `netloom <command> [options]`, `netloom --help`,
 * `netloom <command> --help`. Commands are the files in ./commands (see command.ts).
 * Errors never surface as stack traces: unexpected ones print one line (set NETLOOM_DEBUG=1 for
 * the stack) and exit 1; bad usage exits 2.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UsageError, type CliCommand, type CliIo } from './command';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

const processIo: CliIo = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Names of the available commands (file names in ./commands). */
export function commandNames(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<CliCommand | null> {
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !commandNames().includes(name)) return null;
  const mod = (await import(pathToFileURL(join(commandsDir, `${name}.ts`)).href)) as { command?: CliCommand };
  return mod.command ?? null;
}

async function helpText(): Promise<string> {
  const lines = [
    'Netloom — design and train neural networks on your own CSV files.',
    '',
    'Usage: netloom <command> [options]',
    '',
    'Commands:',
  ];
  for (const name of commandNames()) {
    // One broken command must not take the whole help text down.
    try {
      const c = await loadCommand(name);
      if (c) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
    } catch (e) {
      lines.push(`  ${name.padEnd(10)} (unavailable: ${e instanceof Error ? e.message : String(e)})`);
    }
  }
  lines.push('', 'Run `netloom <command> --help` for the options of a command.');
  return lines.join('\n');
}

/**
 * Run the CLI.
 * @param argv arguments after the program name
 * @param io output sinks (process stdout/stderr by default)
 * @returns the exit code
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      const help = await helpText();
      if (first === undefined) {
        io.err(help);
        return 2;
      }
      io.out(help);
      return 0;
    }
    const cmd = await loadCommand(first);
    if (!cmd) {
      io.err(
        `netloom: unknown command '${first}'. Available: ${commandNames().join(', ')}. See netloom --help.`,
      );
      return 2;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(cmd.usage);
      return 0;
    }
    try {
      return await cmd.run(rest, io);
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`netloom ${cmd.name}: ${e.message}\n\n${cmd.usage}`);
        return 2;
      }
      throw e;
    }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    io.err(`netloom: internal error: ${msg}`);
    if (process.env.NETLOOM_DEBUG && e instanceof Error && e.stack) io.err(e.stack);
    return 1;
  }
}
