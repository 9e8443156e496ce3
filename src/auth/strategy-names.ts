/** Names accepted in `AUTH_STRATEGIES`; each strategy lives in the folder of its name. */
export const JWT_STRATEGY = 'jwt';
export const INTROSPECTION_STRATEGY = 'introspection';
export const FORWARD_AUTH_STRATEGY = 'forward-auth';
export const SIGNED_HEADER_STRATEGY = 'signed-header';
