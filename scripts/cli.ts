import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  AppConfig,
  Clock,
  ConfigModule,
  type Env,
  RedisModule,
  SystemClock,
  Translator,
  ValidationFailedError,
} from '@app/common';
import { DatabaseModule } from '@app/database';
import { GeographyImportService, GeographyModule, type ImportSummary } from '@app/geography';
import { IdentityModule, StaffService } from '@app/identity';

const USAGE = `Usage:
  npm run cli -- create-staff --username <name> --password <password> [--superuser] [--channels 1,2]
  npm run cli -- import-geography --file <countries.json>
`;

/** An import file larger than this is refused before it is read (Türkiye's whole tree is a few MB). */
const IMPORT_FILE_BYTES_MAX = 64 * 1024 * 1024;

export interface CreateStaffArgs {
  username: string;
  password: string;
  superuser: boolean;
  channelIds: number[];
}

/** Parses `create-staff` options; throws with the usage text on anything unexpected. */
export function parseCreateStaff(argv: readonly string[]): CreateStaffArgs {
  const args: Partial<CreateStaffArgs> = { superuser: false, channelIds: [] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--username') args.username = value();
    else if (flag === '--password') args.password = value();
    else if (flag === '--superuser') args.superuser = true;
    else if (flag === '--channels') {
      args.channelIds = value()
        .split(',')
        .filter((c) => c.trim() !== '')
        .map((c) => {
          if (!/^\d{1,10}$/.test(c.trim())) throw new Error(`--channels: "${c}" is not a channel id\n${USAGE}`);
          return Number(c.trim());
        });
    } else throw new Error(`Unknown option ${flag}\n${USAGE}`);
  }
  if (!args.username || !args.password) throw new Error(`--username and --password are required\n${USAGE}`);
  return args as CreateStaffArgs;
}

@Module({})
class CliModule {
  static forRoot(config: AppConfig) {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, IdentityModule, GeographyModule],
      providers: [{ provide: Clock, useClass: SystemClock }],
      exports: [Clock],
      global: true,
    };
  }
}

/** Parses `import-geography` options: the file's path. */
export function parseImportGeography(argv: readonly string[]): { file: string } {
  if (argv.length !== 2 || argv[0] !== '--file' || !argv[1] || argv[1].startsWith('--')) {
    throw new Error(`import-geography needs --file <path>\n${USAGE}`);
  }
  return { file: argv[1] };
}

/** The file as JSON; a file that is too large or not JSON is refused with a message naming it. */
function readImportFile(file: string): unknown {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new Error(`import-geography: cannot read ${file}`);
  }
  if (size > IMPORT_FILE_BYTES_MAX) throw new Error(`import-geography: ${file} is larger than 64 MB`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    throw new Error(`import-geography: ${file} is not valid JSON`);
  }
}

function summaryText(file: string, summary: ImportSummary): string {
  const lines = Object.entries(summary).map(
    ([level, counts]) => `  ${level}: ${counts.created} created, ${counts.updated} updated`,
  );
  return `Imported ${file}:\n${lines.join('\n')}\n`;
}

function connectionConfig(env: Env): AppConfig {
  const config = AppConfig.fromEnv(env);
  return config.with({
    databaseUrl: config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/loyalty`,
    databasePoolSize: 2,
  });
}

/** Runs one command; returns what to print. Without DATABASE_URL it uses the embedded database of `npm start`. */
export async function runCli(argv: readonly string[], env: Env = process.env): Promise<string> {
  const [command, ...rest] = argv;
  if (command === 'import-geography') {
    const { file } = parseImportGeography(rest);
    const json = readImportFile(file);
    const config = connectionConfig(env);
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
    try {
      const importer = app.get(GeographyImportService);
      return summaryText(file, await importer.import(await importer.parse(json)));
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      // The file's mistakes, by path, in English: the CLI has no Accept-Language.
      const translator = new Translator(config);
      const lines = Object.entries(error.fieldErrors ?? {}).map(
        ([path, messages]) => `  ${path}: ${messages.map((m) => translator.translate(m.key, 'en', m.args)).join(' ')}`,
      );
      throw new Error(`import-geography: ${file} was not imported:\n${lines.slice(0, 50).join('\n')}`);
    } finally {
      await app.close();
    }
  }
  if (command !== 'create-staff') throw new Error(USAGE);
  const input = parseCreateStaff(rest);
  const config = connectionConfig(env);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error'] });
  try {
    const staffService = app.get(StaffService);
    const staff = await staffService.create(input);
    const token = await staffService.issueToken(staff);
    return (
      `Created staff user ${staff.username} (id ${staff.id}, ${staff.isSuperuser ? 'superuser' : `channels ${staff.channelIds.join(',') || 'none'}`}).\n` +
      `API token (shown once): ${token}\n`
    );
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2))
    .then((output) => process.stdout.write(output))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
