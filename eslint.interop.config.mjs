// @ts-check
// The root config without its exclusion of test/interop: used by `npm run lint:interop` once the
// interop suite's own dependencies are installed (its types come from test/interop/node_modules).
import { baseConfig } from './eslint.config.mjs';

export default baseConfig;
