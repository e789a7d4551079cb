import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, Clock, ConfigModule, type Env, RedisModule, SystemClock } from '@app/common';
import { DatabaseModule } from '@app/database';
import { IdentityModule, StaffService } from '@app/identity';

const USAGE = `Usage:
  npm run cli -- create-staff --username <name> --password <password> [--superuser] [--channels 1,2]
`;

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
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, IdentityModule],
      providers: [{ provide: Clock, useClass: SystemClock }],
      exports: [Clock],
      global: true,
    };
  }
}

/** Runs one command; returns what to print. Without DATABASE_URL it uses the embedded database of `npm start`. */
export async function runCli(argv: readonly string[], env: Env = process.env): Promise<string> {
  const [command, ...rest] = argv;
  if (command !== 'create-staff') throw new Error(USAGE);
  const input = parseCreateStaff(rest);
  let config = AppConfig.fromEnv(env);
  config = config.with({
    databaseUrl: config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/loyalty`,
    databasePoolSize: 2,
  });
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
