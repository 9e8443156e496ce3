/** Names accepted in `AUTH_STRATEGIES` for the shipped strategies; each is one file under `strategies/`. */
export const JWT_STRATEGY = 'jwt';
export const INTROSPECTION_STRATEGY = 'introspection';
export const FORWARD_AUTH_STRATEGY = 'forward-auth';
