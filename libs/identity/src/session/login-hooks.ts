import { Injectable, Logger } from '@nestjs/common';
import type { ReplacedSession, Session } from './session';

/**
 * A sign-in that just happened. `session` is the re-issued session of the user: with the replaced session's data
 * when that was anonymous or already this user's, empty when it was another user's (`SessionService.login`).
 */
export interface LoginEvent {
  channelId: number;
  userId: number;
  session: Session;
  /** The session before the sign-in. A hook carries over from it only what belongs to nobody. */
  replaced: ReplacedSession;
}

/**
 * Work another lib does when a customer signs in (the checkout merges the anonymous basket). Identity knows only
 * this interface, so the dependency stays one-way: the lib that implements it imports identity, never the reverse.
 */
export interface LoginHook {
  /** A name for the log when the hook fails. */
  readonly name: string;
  afterLogin(event: LoginEvent): Promise<void>;
}

/** Hooks are bounded: each is a module's provider registering itself once at start-up. */
const LOGIN_HOOKS_MAX = 16;

/** The registry of login hooks; providers register themselves in `onModuleInit`. */
@Injectable()
export class LoginHooks {
  private readonly logger = new Logger(LoginHooks.name);
  private readonly hooks: LoginHook[] = [];

  register(hook: LoginHook): void {
    if (this.hooks.includes(hook)) return;
    if (this.hooks.length >= LOGIN_HOOKS_MAX) throw new Error(`more than ${LOGIN_HOOKS_MAX} login hooks`);
    this.hooks.push(hook);
  }

  /**
   * Runs every hook in turn. A failing hook is logged and does not fail the sign-in: the session was already
   * re-issued, and a response without its new cookie would leave the customer signed out.
   */
  async run(event: LoginEvent): Promise<void> {
    for (const hook of this.hooks) {
      try {
        await hook.afterLogin(event);
      } catch (error) {
        this.logger.error({ err: error, hook: hook.name, userId: event.userId }, 'login hook failed');
      }
    }
  }
}
