import type { AppConfig } from '../context.ts';
import type { Repos } from '../db/repos.ts';

/** What the read side needs: the store and the public address. A command's context and the app's services both give it. */
export interface Reads {
  repos: Repos;
  config: AppConfig;
}
