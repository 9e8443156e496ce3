/** Names accepted in `AUTH_STRATEGIES`; each is one file under `strategies/`. */
export const JWT_STRATEGY = 'jwt';

export const KNOWN_STRATEGIES: readonly string[] = [JWT_STRATEGY];
