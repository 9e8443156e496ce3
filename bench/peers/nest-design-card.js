'use strict';
// A peer doing the service's work the way the NestJS documentation teaches it (Authentication,
// Passport and Validation chapters): the Express adapter, a JwtStrategy over passport-jwt behind
// @nestjs/passport's AuthGuard('jwt'), a global ValidationPipe with a class-validator DTO, a
// directory provider (users in a Map) whose unknown users are a ForbiddenException, and the
// answer signed by the pusher library. Plain JavaScript with the decorators applied by hand, as
// TypeScript would compile them.
require('reflect-metadata');
const { Body, Controller, ForbiddenException, HttpCode, Injectable, Module, Post, Req, UseGuards, ValidationPipe } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { AuthGuard, PassportModule, PassportStrategy } = require('@nestjs/passport');
const { IsString, Matches } = require('class-validator');
const { ExtractJwt, Strategy } = require('passport-jwt');
const Pusher = require('pusher');
const { directoryUsers } = require('./directory-users');

const decorate = (decorators, target, key, descriptor) => Reflect.decorate(decorators, target, key, descriptor);
const paramTypes = (types, target, key) => Reflect.defineMetadata('design:paramtypes', types, target, key);

class UserAuthDto {}
decorate([IsString(), Matches(/^\d+\.\d+$/)], UserAuthDto.prototype, 'socket_id');

class UsersService {
  constructor() {
    this.users = directoryUsers();
  }

  async findOne(id) {
    return this.users.get(id);
  }
}
decorate([Injectable()], UsersService);

class PusherService {
  constructor() {
    this.pusher = new Pusher({ appId: process.env.PUSHER_APP_ID, key: process.env.PUSHER_KEY, secret: process.env.PUSHER_SECRET, cluster: 'mt1', useTLS: true });
  }

  authenticateUser(socketId, user) {
    return this.pusher.authenticateUser(socketId, user);
  }
}
decorate([Injectable()], PusherService);

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(usersService) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: process.env.JWT_PUBLIC_KEY, algorithms: ['RS256'] });
    this.usersService = usersService;
  }

  async validate(payload) {
    const user = await this.usersService.findOne(payload.sub);
    if (!user) throw new ForbiddenException('user is not in the directory');
    return user;
  }
}
decorate([Injectable()], JwtStrategy);
paramTypes([UsersService], JwtStrategy);

class PusherAuthController {
  constructor(pusherService) {
    this.pusherService = pusherService;
  }

  signIn(body, req) {
    return this.pusherService.authenticateUser(body.socket_id, req.user);
  }
}
paramTypes([PusherService], PusherAuthController);
paramTypes([UserAuthDto, Object], PusherAuthController.prototype, 'signIn');
Body()(PusherAuthController.prototype, 'signIn', 0);
Req()(PusherAuthController.prototype, 'signIn', 1);
decorate([Post('user-auth'), HttpCode(200), UseGuards(AuthGuard('jwt'))], PusherAuthController.prototype, 'signIn', Object.getOwnPropertyDescriptor(PusherAuthController.prototype, 'signIn'));
decorate([Controller('pusher')], PusherAuthController);

class AppModule {}
decorate([Module({ imports: [PassportModule], controllers: [PusherAuthController], providers: [UsersService, PusherService, JwtStrategy] })], AppModule);

(async () => {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true }));
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
})();
