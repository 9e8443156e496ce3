/** Types for the tests of scripts/build-if-changed.js (plain CommonJS, run before any build). */
export declare function sourceFingerprint(root: string): string;
export declare function isBuildFresh(root: string): boolean;
export declare function recordBuild(root: string, fingerprint: string): void;
export declare const STAMP: string;
