'use strict';
// A floor, not a product: NestJS on Fastify with one guard doing the service's RS256 check
// (fast-jwt, the same key) and a controller signing with the pusher library; nothing else.
// `node bench/ab.js 8 SERVICE=bench/floor/nest-minimal.js` (docs/performance.md, "Round five").
// PASSPORT=1 runs the check as a Passport strategy behind @nestjs/passport's AuthGuard instead.
require('reflect-metadata');
const { Body, Controller, HttpCode, Injectable, Module, Post, Req, UseGuards } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');
const { AuthGuard, PassportModule, PassportStrategy } = require('@nestjs/passport');
const { Strategy } = require('passport-custom');
const { createVerifier } = require('fast-jwt');
const Pusher = require('pusher');

const pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'mt1' });
const verify = createVerifier({ key: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] });
const bearer = (request) => (request.headers.authorization ?? '').slice('Bearer '.length);
const decorate = (decorators, target, key, descriptor) => Reflect.decorate(decorators, target, key, descriptor);

class TokenGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    try {
      request.user = verify(bearer(request));
      return true;
    } catch {
      return false;
    }
  }
}
decorate([Injectable()], TokenGuard);

class TokenStrategy extends PassportStrategy(Strategy, 'token') {
  validate(request) {
    return verify(bearer(request));
  }
}
decorate([Injectable()], TokenStrategy);
Reflect.defineMetadata('design:paramtypes', [], TokenStrategy);

class SignInController {
  signIn(body, request) {
    return pusher.authenticateUser(body.socket_id, { id: request.user.sub, user_info: { name: request.user.sub } });
  }
}
Reflect.defineMetadata('design:paramtypes', [Object, Object], SignInController.prototype, 'signIn');
Body()(SignInController.prototype, 'signIn', 0);
Req()(SignInController.prototype, 'signIn', 1);
decorate([Post(), HttpCode(200)], SignInController.prototype, 'signIn', Object.getOwnPropertyDescriptor(SignInController.prototype, 'signIn'));
decorate([Controller('pusher/user-auth'), UseGuards(process.env.PASSPORT ? AuthGuard('token') : TokenGuard)], SignInController);

class FloorModule {}
decorate([Module({ imports: [PassportModule], controllers: [SignInController], providers: [TokenGuard, TokenStrategy] })], FloorModule);

(async () => {
  const app = await NestFactory.create(FloorModule, new FastifyAdapter({ trustProxy: '127.0.0.1' }), { logger: false });
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
})();
