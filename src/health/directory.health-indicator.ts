import { Injectable, Logger } from '@nestjs/common';
import {
  HealthIndicatorResult,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { UserDirectory } from '../directory/user-directory';

/** A probe must answer before the orchestrator's own timeout (3 s in docker/k8s). */
const CHECK_TIMEOUT_MS = 2_000;

/** Storage reachable and every migration applied. Logs each change of state once. */
@Injectable()
export class DirectoryHealthIndicator {
  private readonly logger = new Logger('Readiness');
  private lastProblem?: string;

  constructor(
    private readonly directory: UserDirectory,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const problem = await this.findProblem();
    this.logTransition(problem);
    return problem ? indicator.down({ message: problem }) : indicator.up();
  }

  private async findProblem(): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`storage did not answer within ${CHECK_TIMEOUT_MS} ms`),
        CHECK_TIMEOUT_MS,
      );
    });
    const check = this.directory.checkHealth().then(
      ({ pendingMigrations }) =>
        pendingMigrations.length > 0
          ? `migrations not applied: ${pendingMigrations.join(', ')}`
          : undefined,
      // The cause stays in the log; the probe's body says only what kind of problem it is.
      () => 'storage unreachable',
    );
    try {
      return await Promise.race([check, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private logTransition(problem: string | undefined): void {
    if (problem === this.lastProblem) return;
    if (problem) this.logger.warn(`not ready: ${problem}`);
    else this.logger.log('ready: storage reachable, migrations applied');
    this.lastProblem = problem;
  }
}
