import { Global, Module } from '@nestjs/common';
import { LifecycleState } from './lifecycle-state';

@Global()
@Module({
  providers: [
    { provide: LifecycleState, useFactory: () => new LifecycleState() },
  ],
  exports: [LifecycleState],
})
export class LifecycleModule {}
