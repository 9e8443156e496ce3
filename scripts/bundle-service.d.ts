/** Types for the tests of scripts/bundle-service.js (plain CommonJS, run by the build). */
export declare function bundleService(root: string): Promise<{ bytes: number }>;
export declare const EXTERNAL: string[];
export declare function restoreClassNames(code: string): string;
export declare function escapeNonAscii(code: string): string;
