import { Logger } from '@nestjs/common';
import { isValidUserId } from '../user-rules';
import type { DirectoryChange } from './directory-change';

export type ChangeListener = (change: DirectoryChange) => void;

/**
 * The port through which the service learns that the directory changed (the cache forgets the
 * user; a removal may end the user's sessions). One adapter per backend, chosen at boot.
 */
export abstract class DirectoryChangeFeed {
  protected readonly logger = new Logger('DirectoryChanges');
  private readonly listeners: ChangeListener[] = [];

  subscribe(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Begins watching. Resolves after the first attempt; a failure there is retried in the background. */
  abstract start(): Promise<void>;

  abstract close(): Promise<void>;

  protected emit(change: DirectoryChange): void {
    // Trace level (LOG_LEVEL=trace): one line per change is too many for debugging anything else.
    this.logger.verbose(
      'id' in change
        ? `directory change: ${change.kind} ${printableId(change.id)}`
        : `directory change: ${change.kind}`,
    );
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // One listener's bug must not keep the others (the cache) from hearing about a change.
        this.logger.error(
          `a change listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}

/** Valid ids are plain characters; anything else (your own tables may hold it) is quoted. */
function printableId(id: string): string {
  return isValidUserId(id) ? id : JSON.stringify(id);
}
