import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '../openapi/deferred-swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { LifecycleState } from '../lifecycle/lifecycle-state';
import { ALL_LIMITS } from '../rate-limit/rate-limit.names';
import { DirectoryHealthIndicator } from './directory.health-indicator';

/** Orchestrator probes: never rate limited, never cached. */
@ApiTags('operations')
@SkipThrottle(ALL_LIMITS)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly directory: DirectoryHealthIndicator,
    private readonly lifecycle: LifecycleState,
  ) {}

  @Get('live')
  @HealthCheck({ swaggerDocumentation: false })
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Liveness: the process is up and answering (restart it otherwise)',
  })
  @ApiResponse({ status: 200, description: '`{"status":"ok",…}`' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** A draining instance answers 503 without asking storage. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Readiness: storage reachable, migrations applied, not shutting down (send traffic here)',
  })
  @ApiResponse({ status: 200, description: '`{"status":"ok",…}`' })
  @ApiResponse({
    status: 503,
    description: 'Not ready; the body names the failing check',
  })
  ready(): Promise<HealthCheckResult> {
    if (this.lifecycle.shuttingDown) {
      return this.health.check([
        () =>
          this.indicators.check('lifecycle').down({ message: 'shutting down' }),
      ]);
    }
    return this.health.check([() => this.directory.check('directory')]);
  }
}
