import { Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { clientIpOf } from '../http/client-ip';
import { LimitedThrottlerGuard } from './limited-throttler.guard';
import { IP_LIMIT } from './rate-limit.names';

/**
 * `RATE_LIMIT_PER_IP`, a global guard: it runs before the caller is identified, so failed
 * credentials spend the budget too. The address is Fastify's `request.ip` (see TRUST_PROXY);
 * IPv6 clients are grouped by /64.
 */
@Injectable()
export class ClientIpThrottlerGuard extends LimitedThrottlerGuard {
  protected readonly limitName = IP_LIMIT;

  protected trackerOf(request: object): string {
    return normalizeIp(clientIpOf(request), this.ipv6SubnetPrefix);
  }
}
