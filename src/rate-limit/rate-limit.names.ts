/** Names of the two @nestjs/throttler limits; `@SkipThrottle(ALL_LIMITS)` exempts a controller. */
export const IP_LIMIT = 'ip';
export const USER_LIMIT = 'user';

export const ALL_LIMITS: Record<string, boolean> = {
  [IP_LIMIT]: true,
  [USER_LIMIT]: true,
};
