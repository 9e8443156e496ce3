import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import * as swagger from '@nestjs/swagger';
import {
  ApiOperation,
  ApiProperty,
  applyRecordedDocs,
} from './deferred-swagger';

/** @nestjs/swagger's metadata keys (its constants module is not exported). */
const API_OPERATION = 'swagger/apiOperation';
const API_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';

describe('deferred Swagger decorators', () => {
  it('leave no OpenAPI metadata until applied, then exactly what the library sets', () => {
    class Probe {
      @ApiProperty({ example: '1.2' })
      socket_id!: string;

      @ApiOperation({ summary: 'probe' })
      run(): void {}
    }
    const operation = () =>
      Reflect.getMetadata(API_OPERATION, Probe.prototype.run) as unknown;
    expect(operation()).toBeUndefined();

    applyRecordedDocs(swagger);
    applyRecordedDocs(swagger);

    expect(operation()).toEqual({ summary: 'probe' });
    expect(
      Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, Probe.prototype),
    ).toEqual([':socket_id']);
  });

  it('keep @nestjs/swagger out of a production start', () => {
    // The compiled app factory and modules, as `npm start` loads them (the test run builds dist first).
    const dist = resolve(__dirname, '../../dist');
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `require('reflect-metadata'); require(${JSON.stringify(`${dist}/app.factory.js`)});
         process.stdout.write(String(Object.keys(require.cache).some((file) => file.includes('@nestjs/swagger'))));`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('false');
  });
});
